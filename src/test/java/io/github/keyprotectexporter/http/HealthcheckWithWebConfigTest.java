package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.cli.Main;
import io.github.keyprotectexporter.http.TestPki.Algorithm;
import io.github.keyprotectexporter.http.TestPki.Issued;
import io.github.keyprotectexporter.http.TestPki.KeyFormat;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** The healthcheck command against a running server protected by a web config. */
class HealthcheckWithWebConfigTest {

  @TempDir static Path directory;

  private static String protectedConfig;
  private static String mutualTlsConfig;

  private final SecureServerFixture servers = new SecureServerFixture(directory);

  @BeforeAll
  static void createFiles() {
    Issued root = TestPki.rootCa("healthcheck root");
    Issued server = TestPki.leaf(root, "agent.example", Algorithm.EC);
    TestPki.writeChain(directory.resolve("server.crt"), server);
    TestPki.writeKey(directory.resolve("server.key"), server.keys(), KeyFormat.PKCS8);
    TestPki.writeCertificate(directory.resolve("ca.crt"), root.certificate());
    Issued impostor = TestPki.leaf(root, "impostor", Algorithm.EC);
    TestPki.writeChain(directory.resolve("impostor.crt"), impostor);
    TestPki.writeKey(directory.resolve("impostor.key"), impostor.keys(), KeyFormat.PKCS8);
    protectedConfig = """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
        basic_auth_users:
          prometheus: %s
        """.formatted(BCrypt.hashpw("scrape-password", BCrypt.gensalt(4)));
    mutualTlsConfig = """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          client_auth_type: RequireAndVerifyClientCert
          client_ca_file: ca.crt
        """;
    TestPki.write(directory.resolve("protected.yml"), protectedConfig);
    TestPki.write(directory.resolve("mtls.yml"), mutualTlsConfig);
    TestPki.write(directory.resolve("impostor.yml"), """
        tls_server_config: {cert_file: impostor.crt, key_file: impostor.key}
        """);
  }

  @AfterEach
  void stopServers() {
    servers.close();
  }

  private static int healthcheck(WebServer server, String webConfig) {
    return Main.execute("healthcheck", "--web.listen-address=127.0.0.1:" + server.port(),
        "--web.config.file=" + directory.resolve(webConfig));
  }

  @Test
  void passesOverTlsWithHealthExemption() throws Exception {
    WebServer server = servers.start(protectedConfig, true);

    assertThat(healthcheck(server, "protected.yml")).isZero();
  }

  @Test
  void failsWhenHealthNeedsLogin() throws Exception {
    WebServer server = servers.start(protectedConfig, false);

    assertThat(healthcheck(server, "protected.yml")).isEqualTo(1);
  }

  @Test
  void passesWithClientCertificatesAndHealthExemption() throws Exception {
    WebServer server = servers.start(mutualTlsConfig, true);

    assertThat(healthcheck(server, "mtls.yml")).isZero();
  }

  @Test
  void failsWithClientCertificatesRequiredInHandshake() throws Exception {
    WebServer server = servers.start(mutualTlsConfig, false);

    assertThat(healthcheck(server, "mtls.yml")).isEqualTo(1);
  }

  @Test
  void failsOnUnexpectedServerCertificate() throws Exception {
    WebServer server = servers.start(protectedConfig, true);

    assertThat(healthcheck(server, "impostor.yml")).isEqualTo(1);
  }

  @Test
  void failsWithPlainHttpAgainstTlsServer() throws Exception {
    WebServer server = servers.start(protectedConfig, true);

    int exitCode = Main.execute("healthcheck", "--web.listen-address=127.0.0.1:" + server.port());

    assertThat(exitCode).isEqualTo(1);
  }
}
