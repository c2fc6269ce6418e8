package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Runs {@code simulate} and {@code run} from the packaged jar as two processes. */
class RunAgainstSimulatorIT {

  private static final String PAYMENTS = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String LEDGER = "2b8c4f61-93de-47a0-8e15-00000000c0fe";
  private static final String ARCHIVE = "c41a7e02-6b9f-4d3c-a2e8-00000000f00d";
  private static final String ANALYTICS = "9e5d3b27-1a4c-4f86-b7d2-00000000cafe";

  /** Bound for outcomes that take a scenario step (20 s) and a few polls (5 s each). */
  private static final Duration BOUND = Duration.ofSeconds(120);

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

  private int startAgent(Simulator.Started simulator) {
    return processes.start("run", Map.of("IBMCLOUD_API_KEY", Simulator.API_KEY),
        "run", "--config.file=" + simulator.agentConfig(), "--web.listen-address=127.0.0.1:0")
        .webPort();
  }

  private static MetricsText scrape(int port) {
    Http.Response response = Http.get(port, "/metrics", "text/plain");
    assertThat(response.status()).as("status of /metrics").isEqualTo(200);
    return MetricsText.parse(response.body());
  }

  @Test
  void healthyScenarioExportsEveryUnit() {
    int port = startAgent(Simulator.start(processes, "healthy", tempDir));
    await("/-/ready returns 200").atMost(BOUND).ignoreExceptions()
        .until(() -> Http.get(port, "/-/ready").status() == 200);

    MetricsText metrics = scrape(port);

    Map<String, Double> unitsPerInstance = Map.of(PAYMENTS, 3.0, LEDGER, 2.0, ARCHIVE, 3.0);
    unitsPerInstance.forEach((instance, units) -> {
      Map<String, String> labels = Map.of("instance_id", instance);
      assertThat(metrics.value("keyprotect_up", labels)).as("up of %s", instance).isEqualTo(1.0);
      assertThat(metrics.value("keyprotect_crypto_units",
              Map.of("instance_id", instance, "state", "kms-initialized")))
          .as("kms-initialized units of %s", instance)
          .isEqualTo(units);
      assertThat(metrics.value("keyprotect_crypto_units",
              Map.of("instance_id", instance, "state", "maintenance")))
          .as("units in maintenance of %s", instance)
          .isZero();
      // Units already kms-initialized at the first poll count as warm.
      assertThat(metrics.value("keyprotect_instance_serving_units", labels))
          .as("serving units of %s", instance)
          .isEqualTo(units);
      assertThat(metrics.value("keyprotect_instance_ready", labels))
          .as("ready of %s", instance)
          .isEqualTo(1.0);
      assertThat(metrics.sum("keyprotect_api_requests_total", Map.of("instance_id", instance,
              "operation", "list_crypto_units", "code", "200")))
          .as("successful list requests of %s", instance)
          .isGreaterThanOrEqualTo(1.0);
    });
    assertThat(metrics.samples("keyprotect_crypto_unit_state", Map.of("state", "kms-initialized")))
        .as("units exported")
        .hasSize(8);
    // One token serves every instance, so the request is counted under whichever asked first.
    assertThat(metrics.sum("keyprotect_api_requests_total",
            Map.of("operation", "iam_token", "code", "200")))
        .as("successful IAM token requests")
        .isGreaterThanOrEqualTo(1.0);
    assertThat(metrics.sum("keyprotect_poll_errors_total", Map.of())).as("poll errors").isZero();
  }

  @Test
  void apiOutageCountsServerErrors() {
    int port = startAgent(Simulator.start(processes, "api-outage", tempDir));
    Map<String, String> analytics = Map.of("instance_id", ANALYTICS);
    Map<String, String> serverErrors = Map.of("instance_id", ANALYTICS, "reason", "server_error");
    await("first poll succeeds").atMost(BOUND).ignoreExceptions()
        .until(() -> scrape(port).value("keyprotect_up", analytics) == 1);

    // The scenario's second step, 20 s in, returns 503.
    AtomicReference<Double> errorsAtOutage = new AtomicReference<>();
    await("keyprotect_up drops to 0").atMost(BOUND).ignoreExceptions()
        .until(() -> {
          MetricsText metrics = scrape(port);
          errorsAtOutage.set(metrics.value("keyprotect_poll_errors_total", serverErrors));
          return metrics.value("keyprotect_up", analytics) == 0;
        });
    assertThat(errorsAtOutage.get()).as("server errors when up turned 0").isGreaterThanOrEqualTo(1.0);

    await("server errors keep being counted").atMost(BOUND).ignoreExceptions()
        .until(() -> scrape(port).value("keyprotect_poll_errors_total", serverErrors)
            > errorsAtOutage.get());
    MetricsText metrics = scrape(port);
    assertThat(metrics.value("keyprotect_up", analytics)).as("up during the outage").isZero();
    assertThat(metrics.sum("keyprotect_api_requests_total",
            Map.of("instance_id", ANALYTICS, "operation", "list_crypto_units", "code", "200")))
        .as("successful list requests before the outage")
        .isGreaterThanOrEqualTo(1.0);
    assertThat(Http.get(port, "/-/healthy").status()).isEqualTo(200);
    assertThat(Http.get(port, "/api/v1/instances").body()).contains("server_error");
  }
}
