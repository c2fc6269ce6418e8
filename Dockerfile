# Two stages: Maven builds the runnable jar, a JRE image runs it as a non-root user.
FROM maven:3.9.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY pom.xml .
RUN mvn -B -q dependency:go-offline
COPY src ./src
RUN mvn -B -q package -DskipTests

FROM eclipse-temurin:17.0.15_6-jre-noble
LABEL org.opencontainers.image.title="keyprotect-exporter" \
      org.opencontainers.image.description="Prometheus exporter for IBM Dedicated Key Protect crypto units" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY --from=build /src/target/keyprotect-exporter.jar /app/keyprotect-exporter.jar
USER 65534:65534
EXPOSE 9795
# The agent answers /-/healthy about a second after start, well within the first interval.
# With TLS or basic auth, set KEYPROTECT_WEB_CONFIG_FILE and run the agent with
# --web.health-without-auth: healthcheck then reads the same web config and uses HTTPS.
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
  CMD ["java", "-jar", "/app/keyprotect-exporter.jar", "healthcheck", "--web.listen-address=127.0.0.1:9795"]
ENTRYPOINT ["java", "-XX:+ExitOnOutOfMemoryError", "-jar", "/app/keyprotect-exporter.jar", "run", "--web.listen-address=:9795"]
CMD ["--config.file=/etc/keyprotect-exporter/config.yaml"]
