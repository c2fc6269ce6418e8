package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.config.Shard;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.http.WebSecurity;
import io.github.keyprotectexporter.simulator.ScenarioLoader;
import io.github.keyprotectexporter.simulator.SimulatorServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs one unsharded agent and three shard agents against one simulator and compares. */
class ShardedAgentTest {

  private static final int FLEET_SIZE = 120;
  private static final String[] STATES = {
    "kms-initialized", "maintenance", "reserved", "claimed", "initialized", "kms-authorized"
  };

  private final HttpClient client = HttpClient.newHttpClient();
  private final List<Agent> agents = new ArrayList<>();
  private SimulatorServer simulator;

  @AfterEach
  void stop() {
    agents.forEach(Agent::close);
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void shardAgentsTogetherExportTheFleet() throws Exception {
    simulator = SimulatorServer.builder(ScenarioLoader.parse(fleetScenario(), "fleet.yaml"))
        .build()
        .start();
    ExporterConfig config = new ExporterConfig(
        new PollSettings(Duration.ofMinutes(1), Duration.ofSeconds(10), Duration.ofMinutes(3),
            Duration.ZERO, 8),
        new IamSettings(simulator.tokenUrl(), IamSettings.DEFAULT_API_KEY_ENV, null),
        simulator.instanceConfigs());

    Set<String> unsharded = unitSeries(start(config, Shard.ALL));
    Set<String> union = new HashSet<>();
    for (int index = 0; index < 3; index++) {
      Shard shard = new Shard(index, 3);
      String metrics = start(ShardOption.apply(shard, config), shard);

      assertThat(metrics).contains(
          "keyprotect_exporter_shard_info{shard=\"" + index + "\",shards=\"3\"} 1");
      for (String line : unitSeries(metrics)) {
        assertThat(union.add(line)).as("series in two shards: %s", line).isTrue();
      }
    }

    assertThat(unsharded).hasSize(FLEET_SIZE * 2);
    assertThat(union).isEqualTo(unsharded);
    // Each instance was polled once by the unsharded agent and once by its shard's agent.
    assertThat(simulator.requestCounts().values()).hasSize(FLEET_SIZE).containsOnly(2L);
  }

  @Test
  void shardWithoutInstancesIsReady() throws Exception {
    simulator = SimulatorServer.builder(ScenarioLoader.parse(fleetScenario(), "fleet.yaml"))
        .build()
        .start();
    ExporterConfig config = new ExporterConfig(PollSettings.DEFAULTS,
        new IamSettings(simulator.tokenUrl(), IamSettings.DEFAULT_API_KEY_ENV, null),
        simulator.instanceConfigs().subList(0, 1));
    String onlyId = config.instances().get(0).id();
    Shard otherShard = new Shard((Shard.shardOf(onlyId, 2) + 1) % 2, 2);

    ExporterConfig owned = ShardOption.apply(otherShard, config);
    String metrics = start(owned, otherShard);

    assertThat(owned.instances()).isEmpty();
    assertThat(metrics).doesNotContain(onlyId);
    assertThat(metrics).contains("keyprotect_exporter_shard_info{shard=\"" + otherShard.index()
        + "\",shards=\"2\"} 1");
    HttpResponse<String> ready = client.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agents.get(0).port() + "/-/ready"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(simulator.totalRequests()).isZero();
  }

  /** Starts an agent and returns its /metrics once every one of its instances was polled. */
  private String start(ExporterConfig config, Shard shard) throws Exception {
    Agent agent = Agent.start(config, new Secret("simulated-api-key"),
        ListenAddress.parse("127.0.0.1:0"), WebSecurity.NONE, shard, Clock.systemUTC());
    agents.add(agent);
    int expected = config.instances().size();
    await().atMost(Duration.ofSeconds(60))
        .until(() -> countUp(scrape(agent)) == expected);
    return scrape(agent);
  }

  private String scrape(Agent agent) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/metrics"))
            .header("Accept", "text/plain")
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static long countUp(String metrics) {
    return metrics.lines()
        .filter(line -> line.startsWith("keyprotect_up{") && line.endsWith(" 1.0"))
        .count();
  }

  /** Returns the per-unit state series, whose values depend only on the simulated fleet. */
  private static Set<String> unitSeries(String metrics) {
    Set<String> series = new HashSet<>();
    metrics.lines()
        .filter(line -> line.startsWith("keyprotect_crypto_unit_state{"))
        .filter(line -> line.endsWith(" 1.0"))
        .forEach(series::add);
    return series;
  }

  private static String fleetScenario() {
    StringBuilder yaml = new StringBuilder("name: fleet\nloop: false\ninstances:\n");
    for (int i = 0; i < FLEET_SIZE; i++) {
      String suffix = String.format("%012x", i + 1);
      yaml.append("  - id: 7f3e9b10-5c2d-4a8e-b1f0-").append(suffix).append('\n')
          .append("    region: us-south\n")
          .append("    timeline:\n")
          .append("      - duration: 1h\n")
          .append("        units:\n");
      for (int unit = 0; unit < 2; unit++) {
        yaml.append("          - {id: 4d1c2a9e-0b7f-4e61-9c3a-").append(suffix, 1, 12)
            .append(unit).append(", state: ").append(STATES[(i + unit) % STATES.length])
            .append("}\n");
      }
    }
    return yaml.toString();
  }
}
