package io.github.keyprotectexporter.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Checks that a poll error that repeats is logged once, not once per poll. */
class PollFailureLogIT {

  private static final List<String> INSTANCES = List.of(
      "7f3e9b10-5c2d-4a8e-b1f0-00000000beef", "2b8c4f61-93de-47a0-8e15-00000000c0fe");

  private final WireMockServer iam =
      new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
  private AgentProcesses processes;

  @TempDir Path tempDir;

  @BeforeEach
  void setUp(TestInfo test) {
    processes = new AgentProcesses(test);
    iam.start();
    iam.stubFor(post(urlPathEqualTo("/identity/token")).willReturn(aResponse().withStatus(400)
        .withBody("{\"errorCode\": \"BXNIM0415E\", \"errorMessage\": \"Provided API key could"
            + " not be found.\"}")));
  }

  @AfterEach
  void tearDown() {
    processes.close();
    iam.stop();
  }

  @Test
  void rejectedKeyIsLoggedOncePerInstance() throws IOException {
    // Both instances share one IAM token, and they poll more often than IAM is retried (10 s).
    Path config = Files.writeString(tempDir.resolve("agent.yaml"), """
        poll:
          interval: 3s
          timeout: 3s
          stale_after: 6s
        iam:
          url: http://127.0.0.1:%1$d/identity/token
        instances:
          - id: %2$s
            region: us-south
            endpoint: http://127.0.0.1:%1$d
          - id: %3$s
            region: us-east
            endpoint: http://127.0.0.1:%1$d
        """.formatted(iam.port(), INSTANCES.get(0), INSTANCES.get(1)));
    AgentProcess run = processes.start("run", Map.of("IBMCLOUD_API_KEY", "rejected-key"),
        "run", "--config.file=" + config, "--web.listen-address=127.0.0.1:0");
    int port = run.webPort();

    await("four failed polls per instance").atMost(Duration.ofSeconds(90)).ignoreExceptions()
        .until(() -> {
          MetricsText metrics = MetricsText.parse(Http.metricsText(port));
          return INSTANCES.stream().allMatch(instance -> metrics.value(
              "keyprotect_poll_errors_total", Map.of("instance_id", instance, "reason", "auth"))
              >= 4);
        });

    for (String instance : INSTANCES) {
      // A first IAM request that times out on a busy machine is another error, logged apart.
      List<String> logged = run.stderr().lines()
          .filter(line -> line.contains("instance_id=" + instance))
          .filter(line -> line.contains(" WARN ") && line.contains("reason=auth"))
          .toList();
      assertThat(logged).as("auth warnings about %s", instance).hasSize(1);
      assertThat(logged.get(0)).contains("Poll failed", "BXNIM0415E");
    }
  }
}
