package io.github.keyprotectexporter.http;

import static io.github.keyprotectexporter.http.HttpTestClient.contentType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.metrics.Exposition;
import io.github.keyprotectexporter.metrics.SampleStore;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class WebServerTest {

  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";
  private static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
          + " encoding=delimited";

  /** Serves {@link SampleStore} for every test that only reads it, because a stop takes time. */
  private static WebServer sampleServer;

  private final List<WebServer> servers = new ArrayList<>();

  @BeforeAll
  static void startSampleServer() {
    sampleServer = startServer(SampleStore.create(), new ListenAddress("127.0.0.1", 0));
  }

  @AfterAll
  static void stopSampleServer() {
    sampleServer.close();
  }

  @AfterEach
  void stopServers() {
    servers.forEach(WebServer::close);
  }

  @Nested
  class Metrics {

    private final HttpTestClient client = sampleClient();

    @Test
    void textByDefaultMatchesGoldenFile() {
      HttpResponse<byte[]> response = client.get("/metrics");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(contentType(response)).isEqualTo(TEXT_FORMAT);
      assertThat(text(response)).isEqualTo(Exposition.golden());
    }

    @Test
    void openMetricsWhenAccepted() {
      HttpResponse<byte[]> response =
          client.get("/metrics", "Accept", OPENMETRICS + ";q=0.9, text/plain;q=0.5");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(contentType(response)).startsWith(OPENMETRICS);
      assertThat(text(response)).endsWith("# EOF\n");
      assertThat(text(response)).contains("\nkeyprotect_poll_errors_total{");
    }

    @Test
    void protobufWhenAccepted() {
      HttpResponse<byte[]> response = client.get("/metrics", "Accept", PROTOBUF);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(contentType(response)).isEqualTo(PROTOBUF);
      assertThat(response.body()).isNotEmpty();
      assertThat(new String(response.body(), StandardCharsets.ISO_8859_1))
          .contains("keyprotect_up");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "garbage",
          ";;;,,,",
          "*/*;q=oops",
          "application/openmetrics-text; version=",
          "application/openmetrics-text; version=9.9.9",
          "text/plain; escaping=bogus",
          "application/vnd.google.protobuf; proto=unknown",
          "\u00e9/\u00e8"
        })
    void oddAcceptHeaderStillServes(String accept) {
      HttpResponse<byte[]> response = client.get("/metrics", "Accept", accept);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(contentType(response)).isNotEmpty();
      assertThat(response.body()).isNotEmpty();
    }

    @Test
    void gzipDecodesToSameText() throws IOException {
      HttpResponse<byte[]> plain = client.get("/metrics");

      HttpResponse<byte[]> compressed = client.get("/metrics", "Accept-Encoding", "gzip");

      assertThat(compressed.statusCode()).isEqualTo(200);
      assertThat(compressed.headers().firstValue("Content-Encoding")).hasValue("gzip");
      assertThat(contentType(compressed)).isEqualTo(TEXT_FORMAT);
      assertThat(gunzip(compressed.body())).isEqualTo(text(plain));
      assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
    }

    @Test
    void gzipWithZeroQualityIsNotUsed() {
      HttpResponse<byte[]> response =
          client.get("/metrics", "Accept-Encoding", "gzip;q=0, identity");

      assertThat(response.headers().firstValue("Content-Encoding")).isEmpty();
      assertThat(text(response)).isEqualTo(Exposition.golden());
    }

    @Test
    void jvmMetricsStreamAroundCachedPart() {
      SnapshotStore store = SampleStore.create();
      ExporterMetrics metrics =
          ExporterMetrics.create(store, SampleStore.instances(), SampleStore.CLOCK);
      WebServer server =
          WebServer.start(new ListenAddress("127.0.0.1", 0), metrics.registry(), metrics, store,
              SampleStore.CLOCK);
      servers.add(server);
      HttpTestClient own = new HttpTestClient(server.port());

      HttpResponse<byte[]> plain = own.get("/metrics");
      HttpResponse<byte[]> compressed = own.get("/metrics", "Accept-Encoding", "gzip");
      HttpResponse<byte[]> head = own.send("HEAD", "/metrics");

      String text = text(plain);
      assertThat(plain.statusCode()).isEqualTo(200);
      assertThat(text.indexOf("# HELP jvm_")).isNotNegative();
      assertThat(text.indexOf("# HELP jvm_")).isLessThan(text.indexOf("# HELP keyprotect_"));
      assertThat(text.lastIndexOf("# HELP keyprotect_")).isLessThan(text.indexOf("# HELP process_"));
      assertThat(plain.headers().firstValueAsLong("Content-Length")).hasValue(plain.body().length);
      String decoded = new String(GzipMembers.decodeSingle(compressed.body()), StandardCharsets.UTF_8);
      assertThat(decoded).contains("keyprotect_up{instance_id=\"" + SampleStore.HEALTHY + "\"} 1.0");
      assertThat(decoded.indexOf("# HELP process_")).isGreaterThan(decoded.indexOf("# HELP keyprotect_"));
      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(head.body()).isEmpty();
    }

    @Test
    void nameFilterKeepsNamedFamilies() {
      HttpResponse<byte[]> response =
          client.get("/metrics?name%5B%5D=keyprotect_up&name%5B%5D=keyprotect_poll_errors_total");

      List<String> types = text(response).lines().filter(l -> l.startsWith("# TYPE")).toList();
      assertThat(types)
          .containsExactly(
              "# TYPE keyprotect_poll_errors_total counter", "# TYPE keyprotect_up gauge");
    }
  }

  @Nested
  class Health {

    @Test
    void healthyReturnsOk() {
      HttpTestClient client = sampleClient();

      HttpResponse<byte[]> response = client.get("/-/healthy");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(text(response)).isEqualTo("OK\n");
      assertThat(mediaType(response)).isEqualTo("text/plain;charset=utf-8");
    }

    @Test
    void readyOnceAllInstancesPolled() {
      InstanceConfig first = SampleStore.instance(SampleStore.HEALTHY, "one", "us-south");
      InstanceConfig second = SampleStore.instance(SampleStore.FAILED, "two", "eu-de");
      SnapshotStore store = new SnapshotStore(List.of(first, second));
      HttpTestClient client = start(store);

      HttpResponse<byte[]> before = client.get("/-/ready");
      store.put(polledWithoutUnits(first));
      HttpResponse<byte[]> half = client.get("/-/ready");
      store.put(
          SampleStore.failure(
              InstanceSnapshot.notPolled(second), Duration.ofSeconds(1), PollErrorReason.AUTH,
              "API key rejected"));
      HttpResponse<byte[]> after = client.get("/-/ready");

      assertThat(before.statusCode()).isEqualTo(503);
      assertThat(text(before)).contains("2 instance(s) not polled yet");
      assertThat(half.statusCode()).isEqualTo(503);
      assertThat(text(half)).contains("1 instance(s) not polled yet");
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(text(after)).isEqualTo("OK\n");
    }
  }

  @Nested
  class StatusPage {

    @Test
    void escapesScriptFromConfigAndApi() {
      InstanceConfig instance =
          SampleStore.instance(SampleStore.HEALTHY, "<script>alert('name')</script>", "us-south");
      SnapshotStore store = new SnapshotStore(List.of(instance));
      store.put(
          SampleStore.success(
              instance,
              Duration.ofSeconds(1),
              Duration.ofMillis(5),
              List.of(
                  SampleStore.unit(
                      "<script>alert(\"unit\")</script>", CryptoUnitState.KMS_INITIALIZED,
                      "2026-01-01T00:00:00Z"))));

      HttpResponse<byte[]> response = start(store).get("/");

      String html = text(response);
      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(mediaType(response)).isEqualTo("text/html;charset=utf-8");
      assertThat(response.headers().firstValue("Content-Security-Policy"))
          .hasValue("default-src 'none'; style-src 'unsafe-inline'");
      assertThat(html).doesNotContainIgnoringCase("<script");
      assertThat(html).contains("&lt;script&gt;alert(&#39;name&#39;)&lt;/script&gt;");
      assertThat(html).contains("&lt;script&gt;alert(&quot;unit&quot;)&lt;/script&gt;: "
          + "kms-initialized since 2026-01-01T00:00:00Z");
    }

    @Test
    void showsTimestampsToTheSecond() {
      InstanceConfig instance = SampleStore.instance(SampleStore.HEALTHY, "vault", "us-south");
      SnapshotStore store = new SnapshotStore(List.of(instance));
      store.put(
          SampleStore.success(
              instance,
              Duration.ofSeconds(1),
              Duration.ofMillis(5),
              List.of(
                  SampleStore.unit(
                      "unit-1", CryptoUnitState.KMS_INITIALIZED,
                      "2026-02-01T08:00:00.123456789Z"))));

      String html = text(start(store).get("/"));

      assertThat(html).contains("unit-1: kms-initialized since 2026-02-01T08:00:00Z");
      assertThat(html).contains("Status as of 2026-03-01T12:00:00Z.");
      assertThat(html).doesNotContain(".123");
    }

    @Test
    void sampleTimestampsHaveNoFraction() {
      String html = text(sampleClient().get("/"));

      assertThat(html).contains("maintenance since 2026-03-01T11:30:00Z");
      assertThat(html).doesNotContain("11:30:00.5");
      assertThat(html).doesNotContainPattern("T\\d\\d:\\d\\d:\\d\\d\\.\\d");
    }

    @Test
    void marksRowsNotUpOrNotReady() {
      String html = text(sampleClient().get("/"));

      assertThat(html).contains("<tr><td>" + SampleStore.HEALTHY + "</td>");
      for (String id :
          List.of(SampleStore.FAILED, SampleStore.STALE, SampleStore.NEVER_POLLED,
              SampleStore.KEY_API_FAILING)) {
        assertThat(html).as(id).contains("<tr class=\"attention\"><td>" + id + "</td>");
      }
      assertThat(html).contains("tr.attention td { background:");
      assertThat(html).contains("not up or not ready have a red background");
    }

    @Test
    void refreshesWithoutScript() {
      HttpResponse<byte[]> response = sampleClient().get("/");

      String html = text(response);
      assertThat(html).contains("<meta http-equiv=\"refresh\" content=\"30\">");
      assertThat(html).contains("This page refreshes every 30 s.");
      assertThat(html).doesNotContainIgnoringCase("<script");
      assertThat(response.headers().firstValue("Content-Security-Policy"))
          .hasValue("default-src 'none'; style-src 'unsafe-inline'");
    }

    @Test
    void showsEveryInstanceAndLink() {
      HttpResponse<byte[]> response = sampleClient().get("/");

      String html = text(response);
      for (InstanceConfig instance : SampleStore.instances()) {
        assertThat(html).contains("<td>" + instance.id() + "</td>");
      }
      assertThat(html)
          .contains("href=\"/metrics\"")
          .contains("href=\"/-/healthy\"")
          .contains("href=\"/-/ready\"")
          .contains("href=\"/api/v1/instances\"");
      assertThat(html).contains("timeout: no response from the crypto-units API within 10s");
      assertThat(html).contains("stale, from the last successful poll:");
      assertThat(html).contains("not polled yet");
      assertThat(html).contains("<th>Key probe</th>");
      assertThat(html).contains("<td>ok at 2026-03-01T11:59:40Z</td>");
      assertThat(html)
          .contains(
              "<td>no_healthy_upstream: HEAD https://eu-de.kms.cloud.ibm.com/api/v2/keys"
                  + " returned HTTP 503: no healthy upstream</td>");
      assertThat(html).contains("<td>off</td>");
    }
  }

  @Nested
  class InstancesApi {

    private final ObjectMapper mapper = new ObjectMapper();

    @Test
    void listsInstancesInSnakeCase() throws IOException {
      HttpResponse<byte[]> response = sampleClient().get("/api/v1/instances");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(mediaType(response)).isEqualTo("application/json;charset=utf-8");
      JsonNode root = mapper.readTree(response.body());
      assertThat(root.get("generated_at").asText()).isEqualTo("2026-03-01T12:00:00Z");
      JsonNode instances = root.get("instances");
      assertThat(instances).hasSize(SampleStore.instances().size());

      JsonNode healthy = instances.get(0);
      assertThat(fieldNames(healthy))
          .containsExactly(
              "instance_id", "name", "region", "polled", "up", "ready", "serving_units",
              "units_current", "units_polled_at", "units_expire_at",
              "last_poll_duration_seconds", "last_error_reason", "last_error_message", "units",
              "key_probe");
      assertThat(healthy.get("instance_id").asText()).isEqualTo(SampleStore.HEALTHY);
      assertThat(healthy.get("up").asBoolean()).isTrue();
      assertThat(healthy.get("ready").asBoolean()).isTrue();
      assertThat(healthy.get("serving_units").asInt()).isEqualTo(2);
      assertThat(healthy.get("units_polled_at").asText()).isEqualTo("2026-03-01T11:59:50Z");
      assertThat(healthy.get("last_poll_duration_seconds").asDouble()).isEqualTo(0.25);
      assertThat(healthy.get("last_error_reason").isNull()).isTrue();

      JsonNode unit = healthy.get("units").get(2);
      assertThat(fieldNames(unit)).containsExactly("id", "state", "state_since", "serving");
      assertThat(unit.get("id").asText()).isEqualTo("4d1c2a9e-0b7f-4e61-9c3a-0000000000a3");
      assertThat(unit.get("state").asText()).isEqualTo("maintenance");
      assertThat(unit.get("state_since").asText()).isEqualTo("2026-03-01T11:30:00.500Z");
      assertThat(unit.get("serving").asBoolean()).isFalse();
    }

    @Test
    void reportsFailureAndStaleness() throws IOException {
      JsonNode instances =
          mapper.readTree(sampleClient().get("/api/v1/instances").body()).get("instances");

      JsonNode failed = instances.get(2);
      assertThat(failed.get("up").asBoolean()).isFalse();
      assertThat(failed.get("ready").asBoolean()).isTrue();
      assertThat(failed.get("last_error_reason").asText()).isEqualTo("timeout");
      assertThat(failed.get("last_error_message").asText())
          .isEqualTo("no response from the crypto-units API within 10s");
      JsonNode stale = instances.get(3);
      assertThat(stale.get("units_current").asBoolean()).isFalse();
      assertThat(stale.get("ready").asBoolean()).isFalse();
      assertThat(stale.get("units")).hasSize(1);
      JsonNode neverPolled = instances.get(4);
      assertThat(neverPolled.get("polled").asBoolean()).isFalse();
      assertThat(neverPolled.get("units_polled_at").isNull()).isTrue();
      assertThat(neverPolled.get("units")).isEmpty();
      assertThat(neverPolled.get("key_probe").isNull()).isTrue();
    }

    @Test
    void reportsKeyProbe() throws IOException {
      JsonNode instances =
          mapper.readTree(sampleClient().get("/api/v1/instances").body()).get("instances");

      JsonNode healthy = instances.get(0).get("key_probe");
      assertThat(fieldNames(healthy))
          .containsExactly(
              "endpoint", "probed", "success", "probed_at", "duration_seconds", "failure_reason",
              "failure_message");
      assertThat(healthy.get("endpoint").asText()).isEqualTo("https://us-south.kms.cloud.ibm.com");
      assertThat(healthy.get("success").asBoolean()).isTrue();
      assertThat(healthy.get("probed_at").asText()).isEqualTo("2026-03-01T11:59:40Z");
      assertThat(healthy.get("duration_seconds").asDouble()).isEqualTo(0.08);
      assertThat(healthy.get("failure_reason").isNull()).isTrue();

      JsonNode failing = instances.get(5);
      assertThat(failing.get("instance_id").asText()).isEqualTo(SampleStore.KEY_API_FAILING);
      assertThat(failing.get("serving_units").asInt()).isEqualTo(2);
      assertThat(failing.get("ready").asBoolean()).isFalse();
      assertThat(failing.get("key_probe").get("success").asBoolean()).isFalse();
      assertThat(failing.get("key_probe").get("failure_reason").asText())
          .isEqualTo("no_healthy_upstream");
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"/", "/metrics", "/-/healthy", "/-/ready", "/api/v1/instances", "/missing"})
  void everyResponseSetsTypeAndNosniff(String path) {
    HttpResponse<byte[]> response = sampleClient().get(path);

    assertThat(contentType(response)).as(path).isNotEmpty();
    assertThat(response.headers().firstValue("X-Content-Type-Options"))
        .as(path)
        .hasValue("nosniff");
  }

  @Nested
  class Methods {

    private final HttpTestClient client = sampleClient();

    @ParameterizedTest
    @CsvSource({
      "POST, /metrics", "PUT, /metrics", "DELETE, /metrics", "OPTIONS, /metrics",
      "POST, /", "PUT, /", "DELETE, /", "OPTIONS, /",
      "POST, /-/healthy", "PUT, /-/healthy", "DELETE, /-/healthy", "OPTIONS, /-/healthy",
      "POST, /-/ready", "PUT, /-/ready", "DELETE, /-/ready", "OPTIONS, /-/ready",
      "POST, /api/v1/instances", "PUT, /api/v1/instances", "DELETE, /api/v1/instances",
      "OPTIONS, /api/v1/instances", "PATCH, /metrics", "POST, /metrics/"
    })
    void otherMethodOnKnownPathIsNotAllowed(String method, String path) {
      HttpResponse<byte[]> response = client.send(method, path);

      assertThat(response.statusCode()).isEqualTo(405);
      assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
      assertThat(mediaType(response)).isEqualTo("text/plain;charset=utf-8");
      assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(text(response)).startsWith("Method not allowed: " + method + " " + path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "DELETE", "OPTIONS"})
    void otherMethodOnUnknownPathIsNotFound(String method) {
      HttpResponse<byte[]> response = client.send(method, "/missing");

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.headers().firstValue("Allow")).isEmpty();
      assertThat(text(response)).isEqualTo("Not found: /missing\n");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/metrics", "/-/healthy", "/-/ready", "/api/v1/instances"})
    void headMatchesGetWithoutBody(String path) {
      HttpResponse<byte[]> get = client.get(path);
      HttpResponse<byte[]> head = client.send("HEAD", path);

      assertThat(head.statusCode()).as(path).isEqualTo(get.statusCode());
      assertThat(contentType(head)).as(path).isEqualTo(contentType(get));
      assertThat(head.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
      assertThat(head.headers().firstValue("Allow")).isEmpty();
      assertThat(head.body()).as(path).isEmpty();
    }

    @Test
    void headOnMetricsNegotiatesFormat() {
      HttpResponse<byte[]> head = client.send("HEAD", "/metrics", "Accept", OPENMETRICS);

      assertThat(head.statusCode()).isEqualTo(200);
      assertThat(contentType(head)).startsWith("application/openmetrics-text");
    }

    @Test
    void headOnStatusPageKeepsSecurityPolicy() {
      HttpResponse<byte[]> head = client.send("HEAD", "/");

      assertThat(mediaType(head)).isEqualTo("text/html;charset=utf-8");
      assertThat(head.headers().firstValue("Content-Security-Policy"))
          .hasValue("default-src 'none'; style-src 'unsafe-inline'");
    }

    @Test
    void headOnReadyReportsNotReady() {
      HttpResponse<byte[]> head = client.send("HEAD", "/-/ready");

      assertThat(head.statusCode()).isEqualTo(503);
    }
  }

  @Test
  void unknownPathIsPlainNotFound() {
    HttpResponse<byte[]> response = sampleClient().get("/missing");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(mediaType(response)).isEqualTo("text/plain;charset=utf-8");
  }

  @Test
  void malformedRequestGetsNosniff() throws IOException {
    String request = "GET /%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";

    String response;
    try (Socket socket = new Socket("127.0.0.1", sampleServer.port())) {
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    assertThat(response).startsWith("HTTP/1.1 400 ");
    assertThat(response).containsIgnoringCase("\r\nX-Content-Type-Options: nosniff\r\n");
    assertThat(response).containsIgnoringCase("\r\nContent-Type: text/plain");
  }

  @Test
  void failedScrapeIsPlainServerError() {
    PrometheusRegistry registry = new PrometheusRegistry();
    MultiCollector failing =
        () -> {
          throw new IllegalStateException("collector failed");
        };
    registry.register(failing);
    WebServer server =
        WebServer.start(
            new ListenAddress("127.0.0.1", 0), registry, SampleStore.create(), SampleStore.CLOCK);
    servers.add(server);

    HttpResponse<byte[]> response = new HttpTestClient(server.port()).get("/metrics");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(mediaType(response)).isEqualTo("text/plain;charset=utf-8");
    assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
    assertThat(text(response)).doesNotContain("collector failed");
  }

  @Test
  void busyPortErrorNamesAddress() {
    ListenAddress busy = new ListenAddress("127.0.0.1", sampleServer.port());

    assertThatThrownBy(() -> startOwnServer(SampleStore.create(), busy))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("Failed to listen on 127.0.0.1:" + sampleServer.port());
  }

  @Test
  void closeStopsListening() {
    WebServer server = startOwnServer(SampleStore.create(), new ListenAddress("127.0.0.1", 0));
    HttpTestClient client = new HttpTestClient(server.port());
    assertThat(client.get("/-/healthy").statusCode()).isEqualTo(200);

    server.close();

    assertThatThrownBy(() -> client.get("/-/healthy")).isInstanceOf(UncheckedIOException.class);
  }

  private static HttpTestClient sampleClient() {
    return new HttpTestClient(sampleServer.port());
  }

  private HttpTestClient start(SnapshotStore store) {
    return new HttpTestClient(startOwnServer(store, new ListenAddress("127.0.0.1", 0)).port());
  }

  /** Starts a server that this test owns and that stops after it. */
  private WebServer startOwnServer(SnapshotStore store, ListenAddress address) {
    WebServer server = startServer(store, address);
    servers.add(server);
    return server;
  }

  private static WebServer startServer(SnapshotStore store, ListenAddress address) {
    List<InstanceConfig> instances = store.all().stream().map(InstanceSnapshot::instance).toList();
    ExporterMetrics metrics =
        ExporterMetrics.createWithoutJvmMetrics(store, instances, SampleStore.CLOCK);
    SampleStore.recordActivity(metrics);
    return WebServer.start(address, metrics.registry(), metrics, store, SampleStore.CLOCK);
  }

  private static InstanceSnapshot polledWithoutUnits(InstanceConfig instance) {
    return SampleStore.success(instance, Duration.ofSeconds(1), Duration.ofMillis(5), List.of());
  }

  /** Returns the Content-Type without spaces and in lower case, as Jetty may drop the spaces. */
  private static String mediaType(HttpResponse<byte[]> response) {
    return contentType(response).replace(" ", "").toLowerCase(Locale.ROOT);
  }

  private static String text(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  private static String gunzip(byte[] body) throws IOException {
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> fieldNames(JsonNode node) {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
