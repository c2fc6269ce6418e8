package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged jar's commands and checks their exit codes and output. */
class CliIT {

  private static final Duration BOUND = Duration.ofSeconds(90);

  private static final String VALID_CONFIG = """
      poll:
        interval: 5s
        timeout: 3s
      iam:
        url: http://127.0.0.1:9/identity/token
        api_key_env: KEYPROTECT_E2E_API_KEY
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          name: payments-prod
          region: us-south
          endpoint: http://127.0.0.1:9
      """;

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

  private Path write(String name, String content) throws IOException {
    return Files.writeString(tempDir.resolve(name), content);
  }

  /** Returns the lines of {@code text} that contain {@code part}. */
  private static List<String> linesContaining(String text, String part) {
    return text.lines().filter(line -> line.contains(part)).toList();
  }

  private static void assertNoStackTrace(AgentProcess process) {
    assertThat(process.stderr()).as("standard error").doesNotContain("\tat ", "Exception");
  }

  @Nested
  class VersionAndHelp {

    @Test
    void versionPrintsVersionAndRevision() {
      AgentProcess version = processes.start("version", "--version");

      assertThat(version.awaitExit()).isZero();
      assertThat(version.stdout())
          .matches("keyprotect-exporter \\d+\\.\\d+\\.\\d+\\S* \\(revision \\S+, Java .+\\)\\n");
    }

    @Test
    void helpListsEveryCommand() {
      AgentProcess help = processes.start("help", "--help");

      assertThat(help.awaitExit()).isZero();
      assertThat(help.stdout())
          .contains("Usage: keyprotect-exporter")
          .contains("run", "demo", "simulate", "once", "check-config", "healthcheck");
    }

    @Test
    void runHelpListsItsOptions() {
      AgentProcess help = processes.start("run-help", "run", "--help");

      assertThat(help.awaitExit()).isZero();
      assertThat(help.stdout()).contains("--config.file", "--web.listen-address");
    }
  }

  @Nested
  class CheckConfig {

    @Test
    void validFileExitsZero() throws IOException {
      Path config = write("valid.yaml", VALID_CONFIG);

      AgentProcess check = processes.start("check-config", Map.of("KEYPROTECT_E2E_API_KEY",
          "simulated"), "check-config", "--config.file=" + config);

      assertThat(check.awaitExit()).as(check.describeOutput()).isZero();
      assertThat(check.stdout()).contains("is valid", "7f3e9b10-5c2d-4a8e-b1f0-00000000beef");
    }

    @Test
    void missingApiKeyExitsTwo() throws IOException {
      Path config = write("valid.yaml", VALID_CONFIG);

      AgentProcess check =
          processes.start("check-config", "check-config", "--config.file=" + config);

      assertThat(check.awaitExit()).as(check.describeOutput()).isEqualTo(2);
      assertThat(check.stderr()).contains("API key cannot be read", "KEYPROTECT_E2E_API_KEY");
      assertNoStackTrace(check);
    }

    @Test
    void brokenFilePrintsEveryErrorAndExitsTwo() throws IOException {
      Path config = write("broken.yaml", """
          poll:
            interval: 30
            stale_afer: 2m
            concurrency: 0
          iam:
            api_key_env: 1BAD
          instances:
            - id: not-a-guid
              region: us-south
            - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
              region: US-South
          """);

      AgentProcess check =
          processes.start("check-config", "check-config", "--config.file=" + config);

      assertThat(check.awaitExit()).as(check.describeOutput()).isEqualTo(2);
      String errors = check.stderr();
      for (String keyPath : List.of("poll.interval", "poll.stale_afer", "poll.concurrency",
          "iam.api_key_env", "instances[0].id", "instances[1].region")) {
        assertThat(linesContaining(errors, keyPath + ":")).as("error for %s", keyPath).hasSize(1);
      }
      assertThat(errors).contains("\"30\"", "Did you mean stale_after?", "us-south");
      assertNoStackTrace(check);
    }
  }

  @Nested
  class StartFailures {

    @Test
    void missingApiKeyVariableExitsTwoNamingIt() throws IOException {
      Path config = write("valid.yaml", VALID_CONFIG);

      AgentProcess run = processes.start("run", "run", "--config.file=" + config,
          "--web.listen-address=127.0.0.1:0");

      assertThat(run.awaitExit()).as(run.describeOutput()).isEqualTo(2);
      assertThat(linesContaining(run.stderr(), "KEYPROTECT_E2E_API_KEY"))
          .singleElement(STRING)
          .contains("environment variable KEYPROTECT_E2E_API_KEY is not set");
      assertThat(run.stderr()).doesNotContain("Web server listening");
      assertNoStackTrace(run);
    }

    @Test
    void runOnUsedPortExitsTwo() throws IOException {
      Path config = write("valid.yaml", VALID_CONFIG);
      try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        int port = taken.getLocalPort();

        AgentProcess run = processes.start("run", Map.of("KEYPROTECT_E2E_API_KEY", "unused"),
            "run", "--config.file=" + config, "--web.listen-address=127.0.0.1:" + port);

        assertThat(run.awaitExit()).as(run.describeOutput()).isEqualTo(2);
        assertThat(linesContaining(run.stderr(), "Cannot start"))
            .singleElement(STRING)
            .contains("127.0.0.1:" + port, "already in use");
        assertThat(run.isAlive()).isFalse();
        assertThat(run.descendants()).isEmpty();
        assertThat(run.stderr()).doesNotContain("Poller started");
        assertNoStackTrace(run);
      }
    }

    @Test
    void demoOnUsedPortClosesSimulator() throws IOException {
      try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
        int port = taken.getLocalPort();

        AgentProcess demo =
            processes.start("demo", "demo", "--web.listen-address=127.0.0.1:" + port);

        int simulatorPort = demo.simulatorPort();
        assertThat(demo.awaitExit()).as(demo.describeOutput()).isEqualTo(2);
        assertThat(linesContaining(demo.stderr(), "Cannot start"))
            .singleElement(STRING)
            .contains("127.0.0.1:" + port, "already in use");
        assertThat(demo.descendants()).isEmpty();
        assertThat(Http.listening(simulatorPort)).as("simulator port still open").isFalse();
      }
    }
  }

  @Nested
  class Once {

    private AgentProcess once(String scenario) {
      Simulator.Started simulator = Simulator.start(processes, scenario, tempDir);
      AgentProcess once = processes.start("once", Map.of("IBMCLOUD_API_KEY", Simulator.API_KEY),
          "once", "--config.file=" + simulator.agentConfig());
      return once;
    }

    @Test
    void healthyScenarioExitsZero() {
      AgentProcess once = once("healthy");

      assertThat(once.awaitExit()).as(once.describeOutput()).isZero();
      assertThat(once.stdout())
          .contains("Instance 7f3e9b10-5c2d-4a8e-b1f0-00000000beef payments-prod (us-south): OK")
          .contains("4d1c2a9e-0b7f-4e61-9c3a-0000000000a1", "6a2f8c13-7e4b-4d09-b5c1-0000000000b2")
          .contains("kms-initialized")
          .contains("OK - 3 instance(s) checked");
    }

    @Test
    void singlePointOfFailureExitsOne() {
      AgentProcess once = once("single-point-of-failure");

      assertThat(once.awaitExit()).as(once.describeOutput()).isEqualTo(1);
      assertThat(once.stdout())
          .contains("Instance 2b8c4f61-93de-47a0-8e15-00000000c0fe ledger-prod (us-east): WARNING")
          .contains("single point of failure")
          .contains("6a2f8c13-7e4b-4d09-b5c1-0000000000b1", "6a2f8c13-7e4b-4d09-b5c1-0000000000b3")
          .contains("WARNING - 2 instance(s) checked");
    }

    @Test
    void noServingUnitExitsTwo() throws IOException {
      Path scenario = write("no-serving-unit.yaml", """
          name: no-serving-unit
          description: The only initialized unit is in maintenance, the other was never set up.
          loop: false
          instances:
            - id: 3d9f2a10-6c4b-4e8a-9d71-00000000dead
              name: down-prod
              region: eu-de
              timeline:
                - duration: 1h
                  units:
                    - {id: 3d9f2a10-6c4b-4e8a-9d71-0000000000e1, state: maintenance}
                    - {id: 3d9f2a10-6c4b-4e8a-9d71-0000000000e2, state: reserved}
          """);

      AgentProcess once = once(scenario.toString());

      assertThat(once.awaitExit()).as(once.describeOutput()).isEqualTo(2);
      assertThat(once.stdout())
          .contains("Instance 3d9f2a10-6c4b-4e8a-9d71-00000000dead down-prod (eu-de): CRITICAL")
          .contains("no serving crypto unit")
          .contains("3d9f2a10-6c4b-4e8a-9d71-0000000000e1", "maintenance")
          .contains("CRITICAL - 1 instance(s) checked");
    }

    @Test
    void apiOutageExitsThree() throws IOException {
      // The built-in api-outage scenario starts with 20 s of normal responses.
      Path scenario = write("outage-now.yaml", """
          name: outage-now
          description: The crypto-units API answers 503 from the start.
          loop: false
          instances:
            - id: 9e5d3b27-1a4c-4f86-b7d2-00000000cafe
              name: analytics-es
              region: eu-es
              timeline:
                - duration: 1h
                  fault:
                    status: 503
                    content_type: text/plain
                    body: no healthy upstream
          """);

      AgentProcess once = once(scenario.toString());

      assertThat(once.awaitExit()).as(once.describeOutput()).isEqualTo(3);
      assertThat(once.stdout())
          .contains("Instance 9e5d3b27-1a4c-4f86-b7d2-00000000cafe analytics-es (eu-es): UNKNOWN")
          .contains("server_error", "503")
          .contains("UNKNOWN - 1 instance(s) checked");
    }
  }

  @Nested
  class Stop {

    private int startRun() {
      Simulator.Started simulator = Simulator.start(processes, "healthy", tempDir);
      AgentProcess run = processes.start("run", Map.of("IBMCLOUD_API_KEY", Simulator.API_KEY),
          "run", "--config.file=" + simulator.agentConfig(), "--web.listen-address=127.0.0.1:0");
      int port = run.webPort();
      await("/-/ready returns 200").atMost(BOUND).ignoreExceptions()
          .until(() -> Http.get(port, "/-/ready").status() == 200);
      return port;
    }

    @Test
    void sigtermStopsRunWithExitZero() {
      int port = startRun();
      AgentProcess run = processes.started("run");

      run.terminate();

      assertThat(run.awaitExit()).as(run.describeOutput()).isZero();
      assertThat(run.stderr()).contains("Stop requested", "Agent stopped");
      assertThat(Http.listening(port)).as("agent port still open").isFalse();
    }

    @Test
    void healthcheckFollowsTheAgent() {
      int port = startRun();
      String address = "--web.listen-address=127.0.0.1:" + port;

      AgentProcess healthy = processes.start("healthcheck-running", "healthcheck", address);
      assertThat(healthy.awaitExit()).as(healthy.describeOutput()).isZero();

      AgentProcess run = processes.started("run");
      run.terminate();
      run.awaitExit();
      AgentProcess stopped = processes.start("healthcheck-stopped", "healthcheck", address);
      assertThat(stopped.awaitExit()).as(stopped.describeOutput()).isEqualTo(1);
      assertThat(stopped.stderr()).contains("Health check failed", "127.0.0.1:" + port);
    }
  }
}
