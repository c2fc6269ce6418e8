package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar reloading its config on SIGHUP and on {@code POST /-/reload}. */
class ReloadIT {

  private static final String PAYMENTS = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String LEDGER = "2b8c4f61-93de-47a0-8e15-00000000c0fe";
  private static final String RELOAD_SUCCESSFUL = "keyprotect_config_last_reload_successful";
  private static final Duration BOUND = Duration.ofSeconds(60);

  @TempDir Path directory;
  private AgentProcesses processes;
  private Path configFile;
  private Path unitsFile;

  @BeforeEach
  void setUp(TestInfo test) throws IOException {
    processes = new AgentProcesses(test);
    configFile = directory.resolve("keyprotect-exporter.yml");
    unitsFile = directory.resolve("units.json");
    Files.writeString(unitsFile, """
        {"generatedAt": "%s", "instances": [
          {"id": "%s", "units": [{"id": "a1", "state": "kms-initialized"}]},
          {"id": "%s", "units": [{"id": "b1", "state": "kms-initialized"}]}
        ]}
        """.formatted(Instant.now(), PAYMENTS, LEDGER));
  }

  @AfterEach
  void tearDown() {
    processes.close();
  }

  private void writeConfig(List<String> instanceIds) throws IOException {
    StringBuilder yaml = new StringBuilder("""
        poll: {interval: 1h, stale_after: 2h}
        instances:
        """);
    for (String id : instanceIds) {
      yaml.append("  - {id: %s, region: us-south, source: {type: file, path: \"%s\"}}\n"
          .formatted(id, unitsFile));
    }
    Files.writeString(configFile, yaml);
  }

  private static MetricsText scrape(int port) {
    return MetricsText.parse(Http.metricsText(port));
  }

  private static boolean up(int port, String instanceId) {
    return scrape(port).samples("keyprotect_up", Map.of("instance_id", instanceId)).stream()
        .anyMatch(sample -> sample.value() == 1.0);
  }

  private static HttpResponse<String> postReload(int port) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + port + "/-/reload"))
        .POST(HttpRequest.BodyPublishers.noBody())
        .timeout(Duration.ofSeconds(30))
        .build();
    return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void sighupAndPostReloadConfig() throws Exception {
    writeConfig(List.of(PAYMENTS));
    AgentProcess agent = processes.start("run", "run", "--config.file=" + configFile,
        "--web.listen-address=127.0.0.1:0");
    int port = agent.webPort();
    await("first instance up").atMost(BOUND).ignoreExceptions().until(() -> up(port, PAYMENTS));

    writeConfig(List.of(PAYMENTS, LEDGER));
    agent.hangUp();
    await("added instance up").atMost(BOUND).ignoreExceptions().until(() -> up(port, LEDGER));
    assertThat(scrape(port).value(RELOAD_SUCCESSFUL, Map.of())).isEqualTo(1.0);

    Files.writeString(configFile, "poll: {interval: often}\ninstances: []\n");
    agent.hangUp();
    await("failed reload reported").atMost(BOUND).ignoreExceptions()
        .until(() -> scrape(port).value(RELOAD_SUCCESSFUL, Map.of()) == 0.0);
    assertThat(up(port, PAYMENTS)).as("first instance still up").isTrue();
    assertThat(up(port, LEDGER)).as("added instance still up").isTrue();
    assertThat(agent.stderr()).contains("Configuration reload failed").contains("poll.interval");

    writeConfig(List.of(LEDGER));
    HttpResponse<String> response = postReload(port);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(scrape(port).value(RELOAD_SUCCESSFUL, Map.of())).isEqualTo(1.0);
    assertThat(Http.metricsText(port)).doesNotContain(PAYMENTS);
    assertThat(Http.get(port, "/-/reload").status()).isEqualTo(405);

    agent.terminate();
    assertThat(agent.awaitExit()).as("exit code after SIGTERM").isZero();
  }

  @Test
  void postWithInvalidConfigReturnsErrors() throws Exception {
    writeConfig(List.of(PAYMENTS));
    AgentProcess agent = processes.start("run", "run", "--config.file=" + configFile,
        "--web.listen-address=127.0.0.1:0");
    int port = agent.webPort();
    await("instance up").atMost(BOUND).ignoreExceptions().until(() -> up(port, PAYMENTS));

    Files.writeString(configFile, "poll: {interval: often}\ninstances: []\n");
    HttpResponse<String> response = postReload(port);

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("poll.interval").contains("instances");
    assertThat(up(port, PAYMENTS)).isTrue();
  }

  @Test
  void watchedFileChangeReloads() throws Exception {
    writeConfig(List.of(PAYMENTS));
    AgentProcess agent = processes.start("run", "run", "--config.file=" + configFile,
        "--web.listen-address=127.0.0.1:0", "--config.watch");
    int port = agent.webPort();
    await("first instance up").atMost(BOUND).ignoreExceptions().until(() -> up(port, PAYMENTS));

    writeConfig(List.of(PAYMENTS, LEDGER));

    await("added instance up").atMost(BOUND).ignoreExceptions().until(() -> up(port, LEDGER));
  }
}
