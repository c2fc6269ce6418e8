package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.keyprotectexporter.http.ConfigReloader;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.testing.NamedPipe;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The running agent reloading a YAML config file whose instances read adapter files, scraped over
 * HTTP. The poll interval is an hour, so that only a reload or an adapter-file change explains a
 * poll.
 */
class AgentReloadTest {

  private static final String PAYMENTS = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String LEDGER = "2b8c4f61-93de-47a0-8e15-00000000c0fe";
  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path directory;
  private final HttpClient client = HttpClient.newHttpClient();
  private Path configFile;
  private Path unitsFile;
  private Agent agent;

  @BeforeEach
  void writeFiles() throws IOException {
    configFile = directory.resolve("keyprotect-exporter.yml");
    unitsFile = directory.resolve("units.json");
    writeUnits(Map.of(PAYMENTS, "kms-initialized", LEDGER, "kms-initialized"));
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private void start() throws Exception {
    agent = Agent.start(LoadedConfig.read(configFile), () -> LoadedConfig.read(configFile),
        ListenAddress.parse("127.0.0.1:0"), Clock.systemUTC());
  }

  /** Replaces the adapter file by renaming, with one unit {@code a1} per instance. */
  private void writeUnits(Map<String, String> stateByInstance) throws IOException {
    StringBuilder instances = new StringBuilder();
    stateByInstance.forEach((id, state) -> instances
        .append(instances.isEmpty() ? "" : ",\n")
        .append("""
            {"id": "%s", "units": [{"id": "a1", "state": "%s"}]}""".formatted(id, state)));
    Path temporary = directory.resolve(".units.json.new");
    Files.writeString(temporary, """
        {"generatedAt": "%s", "instances": [
        %s
        ]}
        """.formatted(Instant.now(), instances));
    Files.move(temporary, unitsFile, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private void writeConfig(String warmUp, String... instanceIds) throws IOException {
    StringBuilder yaml = new StringBuilder("""
        poll:
          interval: 1h
          stale_after: 2h
          warm_up: %s
        instances:
        """.formatted(warmUp));
    for (String id : instanceIds) {
      yaml.append("""
            - id: %s
              region: us-south
              source: {type: file, path: %s}
          """.formatted(id, unitsFile));
    }
    Files.writeString(configFile, yaml);
  }

  private String get(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(path)).header("Accept", "text/plain").build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private HttpResponse<String> post(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(path))
        .POST(HttpRequest.BodyPublishers.noBody())
        .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + agent.port() + path);
  }

  private String scrape() throws Exception {
    return get("/metrics");
  }

  private static String up(String instanceId) {
    return "keyprotect_up{instance_id=\"" + instanceId + "\"} 1.0";
  }

  private static String servingUnits(String instanceId, int count) {
    return "keyprotect_instance_serving_units{instance_id=\"" + instanceId + "\"} " + count + ".0";
  }

  private static String stateSample(String instanceId, String state) {
    return "keyprotect_crypto_unit_state{crypto_unit_id=\"a1\",instance_id=\"" + instanceId
        + "\",state=\"" + state + "\"} 1.0";
  }

  /** Returns the value of the unit's state-since gauge, failing when it is absent. */
  private static String stateSince(String exposition, String instanceId) {
    Matcher matcher = Pattern.compile(
            "keyprotect_crypto_unit_state_since_timestamp_seconds\\{crypto_unit_id=\"a1\","
                + "instance_id=\"" + instanceId + "\"} (\\S+)")
        .matcher(exposition);
    assertThat(matcher.find()).as("state-since sample of %s in%n%s", instanceId, exposition)
        .isTrue();
    return matcher.group(1);
  }

  private static double gauge(String exposition, String name) {
    Matcher matcher = Pattern.compile("(?m)^" + name + " (\\S+)$").matcher(exposition);
    assertThat(matcher.find()).as("sample of %s", name).isTrue();
    return Double.parseDouble(matcher.group(1));
  }

  @Nested
  class Instances {

    @Test
    void addedInstanceIsPolledAtOnce() throws Exception {
      writeConfig("0s", PAYMENTS);
      start();
      await().atMost(BOUND).until(() -> scrape().contains(up(PAYMENTS)));
      assertThat(scrape()).doesNotContain(LEDGER);

      writeConfig("0s", PAYMENTS, LEDGER);
      ConfigReloader.Result result = agent.reload("test");

      assertThat(result.errors()).isEmpty();
      await().atMost(BOUND).until(() -> scrape().contains(up(LEDGER)));
      assertThat(scrape()).contains(stateSample(LEDGER, "kms-initialized"));
    }

    @Test
    void removedInstanceLeavesNoSeries() throws Exception {
      writeConfig("0s", PAYMENTS, LEDGER);
      start();
      await().atMost(BOUND).until(() -> scrape().contains(up(LEDGER)));
      // Counters start at 0 for every reason, so the instance has counter series to remove.
      assertThat(scrape()).contains("keyprotect_poll_errors_total{instance_id=\"" + LEDGER);

      writeConfig("0s", PAYMENTS);
      agent.reload("test");

      assertThat(scrape()).doesNotContain(LEDGER);
      assertThat(get("/")).doesNotContain(LEDGER);
      assertThat(get("/api/v1/instances")).doesNotContain(LEDGER);
      assertThat(scrape()).contains(up(PAYMENTS));
      assertThat(get("/api/v1/instances")).contains(PAYMENTS);
    }

    @Test
    void keptInstanceKeepsStateHistory() throws Exception {
      writeUnits(Map.of(PAYMENTS, "initialized", LEDGER, "kms-initialized"));
      writeConfig("1h", PAYMENTS);
      start();
      await().atMost(BOUND).until(() -> scrape().contains(stateSample(PAYMENTS, "initialized")));
      // The adapter-file watcher polls again, and the unit starts its hour of warm-up.
      writeUnits(Map.of(PAYMENTS, "kms-initialized", LEDGER, "kms-initialized"));
      await().atMost(BOUND)
          .until(() -> scrape().contains(stateSample(PAYMENTS, "kms-initialized")));
      String before = scrape();
      assertThat(before).contains(servingUnits(PAYMENTS, 0));

      writeConfig("1h", PAYMENTS, LEDGER);
      agent.reload("test");
      await().atMost(BOUND).until(() -> scrape().contains(up(LEDGER)));
      String after = scrape();

      // A new history would treat the unit as warm, as at start-up, and restart its since-time.
      assertThat(stateSince(after, PAYMENTS)).isEqualTo(stateSince(before, PAYMENTS));
      assertThat(after).contains(servingUnits(PAYMENTS, 0));
    }

    @Test
    void changedPollSettingsApplyToKeptHistory() throws Exception {
      writeUnits(Map.of(PAYMENTS, "initialized"));
      writeConfig("1h", PAYMENTS);
      start();
      await().atMost(BOUND).until(() -> scrape().contains(stateSample(PAYMENTS, "initialized")));
      writeUnits(Map.of(PAYMENTS, "kms-initialized"));
      await().atMost(BOUND)
          .until(() -> scrape().contains(stateSample(PAYMENTS, "kms-initialized")));
      String before = scrape();

      writeConfig("0s", PAYMENTS);
      agent.reload("test");

      await().atMost(BOUND).until(() -> scrape().contains(servingUnits(PAYMENTS, 1)));
      assertThat(stateSince(scrape(), PAYMENTS)).isEqualTo(stateSince(before, PAYMENTS));
    }

    @Test
    void changedSourceKeepsStateHistory() throws Exception {
      writeUnits(Map.of(PAYMENTS, "kms-initialized"));
      writeConfig("0s", PAYMENTS);
      start();
      await().atMost(BOUND).until(() -> scrape().contains(up(PAYMENTS)));
      String before = scrape();
      Path otherFile = directory.resolve("other-units.json");
      Files.copy(unitsFile, otherFile);

      Files.writeString(configFile,
          Files.readString(configFile).replace(unitsFile.toString(), otherFile.toString()));
      agent.reload("test");

      // The new source has been read once the poll duration changes or a second passes.
      await().atMost(BOUND).until(() -> scrape().contains(up(PAYMENTS)));
      assertThat(stateSince(scrape(), PAYMENTS)).isEqualTo(stateSince(before, PAYMENTS));
    }
  }

  @Nested
  class InvalidConfig {

    @Test
    void keepsRunningConfig() throws Exception {
      writeConfig("0s", PAYMENTS);
      start();
      await().atMost(BOUND).until(() -> scrape().contains(up(PAYMENTS)));
      double loadedAt =
          gauge(scrape(), "keyprotect_config_last_reload_success_timestamp_seconds");

      Files.writeString(configFile, """
          poll:
            interval: often
          instances: []
          """);
      ConfigReloader.Result result = agent.reload("test");

      assertThat(result.successful()).isFalse();
      assertThat(result.errors()).anySatisfy(error -> assertThat(error).contains("poll.interval"));
      String exposition = scrape();
      assertThat(gauge(exposition, "keyprotect_config_last_reload_successful")).isZero();
      assertThat(gauge(exposition, "keyprotect_config_last_reload_success_timestamp_seconds"))
          .isEqualTo(loadedAt);
      assertThat(exposition).contains(up(PAYMENTS));
    }

    @Test
    void namedPipeFailsInsteadOfHanging() throws Exception {
      writeConfig("0s", PAYMENTS);
      start();
      String config = Files.readString(configFile);
      Files.delete(configFile);

      try (NamedPipe pipe = NamedPipe.create(configFile, config)) {
        ConfigReloader.Result result = agent.reload("test");

        assertThat(pipe.wasRead()).isFalse();
        assertThat(result.errors()).containsExactly(configFile + ": is not a regular file, such"
            + " as a named pipe or a device. Give the path of the YAML file");
      }
      assertThat(scrape()).contains(up(PAYMENTS));
    }

    @Test
    void laterValidReloadSucceeds() throws Exception {
      writeConfig("0s", PAYMENTS);
      start();
      Files.writeString(configFile, "instances: {}\n");
      assertThat(agent.reload("test").successful()).isFalse();

      writeConfig("0s", PAYMENTS, LEDGER);
      ConfigReloader.Result result = agent.reload("test");

      assertThat(result.successful()).isTrue();
      assertThat(gauge(scrape(), "keyprotect_config_last_reload_successful")).isEqualTo(1.0);
      await().atMost(BOUND).until(() -> scrape().contains(up(LEDGER)));
    }

    @Test
    void masksApiKeyInErrors() throws Exception {
      // Shorter than the key-shaped values that the config loader masks by itself.
      String apiKey = "short-key-1234567";
      Path keyFile = directory.resolve("api-key");
      Files.writeString(keyFile, apiKey);
      Files.writeString(configFile, """
          poll: {interval: 1h, stale_after: 2h}
          iam: {url: "http://127.0.0.1:1/identity/token", api_key_file: %s}
          instances:
            - {id: %s, region: us-south, endpoint: "http://127.0.0.1:1"}
          """.formatted(keyFile, PAYMENTS));
      start();

      Files.writeString(configFile, Files.readString(configFile)
          .replace("interval: 1h", "interval: " + apiKey));
      ConfigReloader.Result result = agent.reload("test");

      assertThat(result.successful()).isFalse();
      assertThat(String.join("\n", result.errors())).contains("poll.interval")
          .doesNotContain(apiKey);
    }
  }

  @Nested
  class Endpoint {

    @Test
    void postReloadsConfig() throws Exception {
      writeConfig("0s", PAYMENTS);
      start();

      writeConfig("0s", PAYMENTS, LEDGER);
      HttpResponse<String> response = post("/-/reload");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).isEqualTo("Configuration reloaded\n");
      await().atMost(BOUND).until(() -> scrape().contains(up(LEDGER)));
    }

    @Test
    void postWithInvalidConfigReturnsErrors() throws Exception {
      writeConfig("0s", PAYMENTS);
      start();

      Files.writeString(configFile, "poll: {interval: often}\ninstances: []\n");
      HttpResponse<String> response = post("/-/reload");

      assertThat(response.statusCode()).isEqualTo(500);
      assertThat(response.body())
          .startsWith("Reload failed, the previous configuration keeps running:\n")
          .contains("poll.interval");
    }

    @Test
    void unchangedConfigReloadSucceeds() throws Exception {
      writeConfig("0s", PAYMENTS);
      start();
      await().atMost(BOUND).until(() -> scrape().contains(up(PAYMENTS)));

      HttpResponse<String> response = post("/-/reload");

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(gauge(scrape(), "keyprotect_config_last_reload_successful")).isEqualTo(1.0);
    }
  }

  @Test
  void reloadAfterCloseFails() throws Exception {
    writeConfig("0s", PAYMENTS);
    start();
    agent.close();

    ConfigReloader.Result result = agent.reload("test");
    agent = null;

    assertThat(result.errors()).containsExactly(
        "the agent is stopping, so the config was not reloaded");
  }
}
