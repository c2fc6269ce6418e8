package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.http.TestPki;
import io.github.keyprotectexporter.http.TestPki.Algorithm;
import io.github.keyprotectexporter.http.TestPki.Issued;
import io.github.keyprotectexporter.http.TestPki.KeyFormat;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar with a web config: start-up errors and the health check over TLS. */
class WebConfigIT {

  private static final String CONFIG = """
      iam:
        url: http://127.0.0.1:9/identity/token
        api_key_env: KEYPROTECT_E2E_API_KEY
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          region: us-south
          endpoint: http://127.0.0.1:9
      """;

  private static final Map<String, String> API_KEY = Map.of("KEYPROTECT_E2E_API_KEY", "unused");

  @TempDir Path directory;

  private AgentProcesses processes;

  @BeforeEach
  void setUp(TestInfo test) {
    processes = new AgentProcesses(test);
  }

  @AfterEach
  void tearDown() {
    processes.close();
  }

  @Test
  void garbageKeyExitsTwoAndLeavesNothingListening() throws IOException {
    Issued server = TestPki.leaf(TestPki.rootCa("it root"), "agent", Algorithm.EC);
    TestPki.writeChain(directory.resolve("server.crt"), server);
    Files.writeString(directory.resolve("server.key"), "-----BEGIN PRIVATE KEY-----\n"
        + "bm90IGEga2V5\n-----END PRIVATE KEY-----\n");
    Path web = Files.writeString(directory.resolve("web.yml"), """
        tls_server_config: {cert_file: server.crt, key_file: server.key}
        """);
    int port = freePort();

    AgentProcess run = start(web, port);

    assertThat(run.awaitExit()).as(run.describeOutput()).isEqualTo(2);
    assertThat(run.stderr())
        .contains("Cannot start with web config file " + web + ":")
        .contains("  key_file " + directory.resolve("server.key")
            + ": the PRIVATE KEY block is not a valid RSA, EC or EdDSA private key")
        .doesNotContain("bm90IGEga2V5")
        .doesNotContain("Web server listening")
        .doesNotContain("\tat ");
    try (ServerSocket free = new ServerSocket(port, 50, InetAddress.getLoopbackAddress())) {
      assertThat(free.getLocalPort()).isEqualTo(port);
    }
  }

  @Test
  void missingCertFileExitsTwo() throws IOException {
    Path web = Files.writeString(directory.resolve("web.yml"), """
        tls_server_config: {cert_file: missing.crt, key_file: missing.key}
        """);

    AgentProcess run = start(web, freePort());

    assertThat(run.awaitExit()).as(run.describeOutput()).isEqualTo(2);
    assertThat(run.stderr()).contains("  cert_file " + directory.resolve("missing.crt")
        + ": not found");
  }

  @Test
  void healthcheckPassesAgainstTlsAgentWithExemption() throws IOException {
    Issued server = TestPki.leaf(TestPki.rootCa("it root"), "agent", Algorithm.RSA);
    TestPki.writeChain(directory.resolve("server.crt"), server);
    TestPki.writeKey(directory.resolve("server.key"), server.keys(), KeyFormat.TRADITIONAL);
    Path web = Files.writeString(directory.resolve("web.yml"), """
        tls_server_config: {cert_file: server.crt, key_file: server.key}
        basic_auth_users:
          prometheus: $2y$04$QZyTLpBnIFhZW0DJ9zFTheNd1rwuwSx2Kz43dRpohqYDthqQ3jKIi
        """);
    Path config = Files.writeString(directory.resolve("config.yml"), CONFIG);
    AgentProcess run = processes.start("run", API_KEY, "run", "--config.file=" + config,
        "--web.config.file=" + web, "--web.listen-address=127.0.0.1:0",
        "--web.health-without-auth");
    int port = run.webPort();

    AgentProcess check = processes.start("healthcheck",
        Map.of("KEYPROTECT_WEB_CONFIG_FILE", web.toString()),
        "healthcheck", "--web.listen-address=127.0.0.1:" + port);

    assertThat(check.awaitExit()).as(check.describeOutput()).isZero();
    assertThat(run.stderr()).contains("scheme=https tls=true basic_auth=true");
  }

  private AgentProcess start(Path web, int port) throws IOException {
    Path config = Files.writeString(directory.resolve("config.yml"), CONFIG);
    return processes.start("run", API_KEY, "run", "--config.file=" + config,
        "--web.config.file=" + web, "--web.listen-address=127.0.0.1:" + port);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
