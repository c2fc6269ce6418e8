package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code demo} from the packaged jar and reads its endpoints over HTTP. */
class DemoIT {

  /** The instances of the built-in demo scenario. */
  private static final List<String> DEMO_INSTANCES = List.of(
      "7f3e9b10-5c2d-4a8e-b1f0-00000000beef",
      "2b8c4f61-93de-47a0-8e15-00000000c0fe",
      "c41a7e02-6b9f-4d3c-a2e8-00000000f00d",
      "9e5d3b27-1a4c-4f86-b7d2-00000000cafe");

  private static final Duration BOUND = Duration.ofSeconds(90);

  private AgentProcesses processes;

  @TempDir Path tempDir;

  @BeforeEach
  void setUp(TestInfo test) {
    processes = new AgentProcesses(test);
  }

  @AfterEach
  void tearDown() {
    processes.close();
  }

  private int startDemo(String... extraArgs) {
    List<String> args = new ArrayList<>(List.of("demo", "--web.listen-address=127.0.0.1:0"));
    args.addAll(List.of(extraArgs));
    return processes.start("demo", args.toArray(String[]::new)).webPort();
  }

  @Test
  void demoAnswersHealthReadyStatusPageAndJson() throws Exception {
    int port = startDemo();

    assertThat(Http.get(port, "/-/healthy").status()).isEqualTo(200);
    await("/-/ready returns 200").atMost(BOUND).ignoreExceptions()
        .until(() -> Http.get(port, "/-/ready").status() == 200);

    Http.Response page = Http.get(port, "/", "text/html");
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.contentType()).startsWith("text/html");
    assertThat(page.body()).contains("payments-prod", "ledger-prod", "archive-eu", "analytics-es");

    Http.Response json = Http.get(port, "/api/v1/instances", "application/json");
    assertThat(json.status()).isEqualTo(200);
    assertThat(json.contentType()).startsWith("application/json");
    List<String> ids = new ArrayList<>();
    new ObjectMapper().readTree(json.body()).get("instances")
        .forEach(instance -> ids.add(instance.get("instance_id").asText()));
    assertThat(ids).containsExactlyInAnyOrderElementsOf(DEMO_INSTANCES);
  }

  /** Metrics that only adapter file and command sources produce. */
  private static final Set<String> ONLY_FROM_ADAPTERS = Set.of(
      "keyprotect_instance_master_key_check_values", "keyprotect_crypto_unit_master_key_info");

  @Test
  void demoExportsEveryReadmeMetricForEachInstance() throws Exception {
    int port = startDemo();
    List<ReadmeMetrics.Row> rows = ReadmeMetrics.rows();
    assertThat(rows).as("metrics table rows in README.md").hasSizeGreaterThan(10);

    // Retried because a poll may land between two steps of the scenario.
    await("every README metric for every demo instance").atMost(BOUND).ignoreExceptions()
        .untilAsserted(() -> {
          MetricsText metrics = MetricsText.parse(Http.metricsText(port));
          for (ReadmeMetrics.Row row : rows) {
            if (ONLY_FROM_ADAPTERS.contains(row.name())) {
              // The demo reads the API, which reports no master-key check values.
              assertThat(metrics.samples(row.name(), Map.of())).as(row.name()).isEmpty();
              continue;
            }
            if (!row.perInstance()) {
              assertThat(metrics.samples(row.name(), Map.of())).as(row.name()).isNotEmpty();
              continue;
            }
            for (String instance : DEMO_INSTANCES) {
              assertThat(metrics.samples(row.name(), Map.of("instance_id", instance)))
                  .as("%s for instance %s", row.name(), instance)
                  .isNotEmpty();
            }
          }
        });
  }

  @Test
  void demoMetricsPassPromtool() throws Exception {
    Path promtool = ExternalTool.require("promtool", "apt-get install prometheus");
    int port = startDemo();
    await("/-/ready returns 200").atMost(BOUND).ignoreExceptions()
        .until(() -> Http.get(port, "/-/ready").status() == 200);

    Http.Response scrape = Http.get(port, "/metrics", "text/plain");
    assertThat(scrape.status()).isEqualTo(200);
    assertThat(scrape.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(scrape.body()).contains("keyprotect_up{", "jvm_memory_used_bytes", "process_");

    ExternalTool.Result check = ExternalTool.run(tempDir, scrape.body(),
        List.of(promtool.toString(), "check", "metrics"));
    assertThat(check.exitCode()).as("promtool check metrics: %s", check.output()).isZero();
  }

  @Test
  void unitStateChangesShowOnMetrics() throws Exception {
    Path scenario = tempDir.resolve("flip.yaml");
    Files.writeString(scenario, """
        name: flip
        description: Unit 2 goes into maintenance every few seconds and comes back.
        loop: true
        instances:
          - id: 5a7c1e90-3b2d-4f6a-9e81-00000000e2e0
            name: flip-test
            region: us-south
            timeline:
              - duration: 3s
                units:
                  - {id: 5a7c1e90-3b2d-4f6a-9e81-0000000000f1, state: kms-initialized}
                  - {id: 5a7c1e90-3b2d-4f6a-9e81-0000000000f2, state: kms-initialized}
              - duration: 3s
                units:
                  - {id: 5a7c1e90-3b2d-4f6a-9e81-0000000000f1, state: kms-initialized}
                  - {id: 5a7c1e90-3b2d-4f6a-9e81-0000000000f2, state: maintenance}
        """);
    int port = startDemo("--scenario=" + scenario);
    Map<String, String> unit = Map.of("crypto_unit_id", "5a7c1e90-3b2d-4f6a-9e81-0000000000f2");
    Set<String> seen = new ConcurrentSkipListSet<>();

    await("unit 2 seen in both states").atMost(BOUND).ignoreExceptions()
        .until(() -> {
          seen.add(currentState(port, unit));
          return seen.containsAll(List.of("kms-initialized", "maintenance"));
        });

    assertThat(seen).containsExactlyInAnyOrder("kms-initialized", "maintenance");
  }

  /**
   * Returns the state label whose sample is 1 for the unit.
   *
   * @throws java.util.NoSuchElementException when the unit has no such sample yet
   */
  private static String currentState(int port, Map<String, String> unit) {
    MetricsText metrics = MetricsText.parse(Http.metricsText(port));
    return metrics.samples("keyprotect_crypto_unit_state", unit).stream()
        .filter(sample -> sample.value() == 1.0)
        .map(sample -> sample.labels().get("state"))
        .findFirst()
        .orElseThrow();
  }
}
