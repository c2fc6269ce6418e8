package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.keyprotectexporter.config.ConfigLoader;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.simulator.ScenarioLoader;
import io.github.keyprotectexporter.simulator.SimulatorServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent against the simulator, with the key-operation probe enabled. */
class MasterKeyMismatchTest {

  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String LABEL = "instance_id=\"" + INSTANCE + "\"";

  /** Both units serve, but the key API fails as it does after a master-key mismatch. */
  private static final String MISMATCH =
      """
      name: mismatch
      loop: false
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          name: payments-prod
          region: us-south
          timeline:
            - duration: 1h
              description: Master keys differ.
              units:
                - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a1, state: kms-initialized}
                - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a2, state: kms-initialized}
              key_api_fault:
                status: 503
                content_type: text/plain
                body: no healthy upstream
      """;

  private final HttpClient client = HttpClient.newHttpClient();
  private SimulatorServer simulator;
  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  private String scrape() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/metrics"))
            .header("Accept", "text/plain")
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  @Test
  void probeShowsMismatchWhileUnitsServe() throws Exception {
    simulator = SimulatorServer.builder(ScenarioLoader.parse(MISMATCH, "mismatch.yaml")).build();
    simulator.start();
    // The timings are for a test only: a poll and a probe every second, with generous timeouts.
    PollSettings poll = new PollSettings(Duration.ofSeconds(1), Duration.ofSeconds(10),
        Duration.ofMinutes(1), Duration.ZERO, 2);
    List<InstanceConfig> instances = simulator.instanceConfigs(Duration.ofSeconds(1));
    ExporterConfig config = new ExporterConfig(poll,
        new IamSettings(simulator.tokenUrl(), IamSettings.DEFAULT_API_KEY_ENV, null), instances);

    agent = Agent.start(config, new Secret("simulated-api-key"),
        ListenAddress.parse("127.0.0.1:0"), Clock.systemUTC());

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> scrape().contains("keyprotect_kms_probe_success{" + LABEL + "} 0.0"));
    String metrics = scrape();
    assertThat(metrics).contains("keyprotect_instance_serving_units{" + LABEL + "} 2.0");
    assertThat(metrics).contains("keyprotect_instance_ready{" + LABEL + "} 0.0");
    assertThat(metrics).containsPattern(
        "keyprotect_kms_probe_failures_total\\{" + LABEL
            + ",reason=\"no_healthy_upstream\"} [1-9]");
    assertThat(metrics).contains(
        "keyprotect_api_requests_total{code=\"503\"," + LABEL + ",operation=\"key_probe\"}");
    assertThat(simulator.keyApiRequestCount(INSTANCE)).isGreaterThanOrEqualTo(2);
  }

  @Test
  void writtenConfigEnablesProbe(@TempDir Path directory) throws Exception {
    simulator = SimulatorServer.builder(ScenarioLoader.parse(MISMATCH, "mismatch.yaml")).build();
    simulator.start();
    Path file = directory.resolve("agent.yaml");

    SimulateCommand.writeAgentConfig(simulator, file, null);
    ExporterConfig config = new ConfigLoader().load(file);

    InstanceConfig instance = config.instances().get(0);
    assertThat(instance.endpoint()).isEqualTo(simulator.baseUrl());
    assertThat(instance.probe().enabled()).isTrue();
    assertThat(instance.probe().interval()).isEqualTo(DemoCommand.DEMO_PROBE_INTERVAL);
    assertThat(instance.probe().endpoint()).isEqualTo(simulator.baseUrl());
  }
}
