package io.github.keyprotectexporter.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged jar at TRACE level against a fake IAM and Key Protect API that echo the API
 * key and the token back in every error, and looks for either in everything the agent shows:
 * its logs with their stack traces, every page and metrics format, error responses, and the
 * names and stacks of its threads.
 */
class SecretLeakIT {

  /** Shaped like an IBM Cloud API key: 44 letters, digits, hyphens and underscores. */
  private static final String API_KEY = "FAKE-E2E-APIKEY-7d41c9b2-never-log-me-5Qz8Rk";
  /** Not shaped like a JWT, so only masking by value can hide it. */
  private static final String TOKEN = "FAKE-E2E-TOKEN-0e8a3f65-never-log-me";
  private static final List<String> SECRETS = List.of(API_KEY, TOKEN);
  /** Parts that are unique to each secret, to catch a secret cut short. */
  private static final List<String> SECRET_PARTS = List.of("7d41c9b2", "0e8a3f65");

  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String TOKEN_PATH = "/identity/token";
  private static final String UNITS_PATH = "/api/v1/cryptounits";
  private static final Duration BOUND = Duration.ofSeconds(90);
  private static final String PROTOBUF = "application/vnd.google.protobuf;"
      + " proto=io.prometheus.client.MetricFamily; encoding=delimited";
  /** Method, path and Accept header of requests that the agent does not route or that look odd. */
  private static final List<List<String>> ERROR_REQUESTS = List.of(
      List.of("GET", "/not-found", "*/*"),
      List.of("GET", "/api/v1/instances/" + INSTANCE, "application/json"),
      List.of("POST", "/metrics", "*/*"),
      List.of("DELETE", "/api/v1/instances", "application/json"),
      List.of("GET", "/metrics?name%5B%5D=%ff%00", "text/plain; version=9"),
      List.of("GET", "/%2e%2e/%2e%2e/etc/passwd", "text/html"));
  private static final Map<String, String> TRACE_ENV =
      Map.of("IBMCLOUD_API_KEY", API_KEY, "KEYPROTECT_LOG_LEVEL", "TRACE");

  private final WireMockServer fake =
      new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
  private AgentProcesses processes;
  private Path config;

  @TempDir Path tempDir;

  @BeforeEach
  void setUp(TestInfo test) throws IOException, InterruptedException {
    processes = new AgentProcesses(test);
    fake.start();
    stubIam();
    stubApi();
    warmUpFake();
    config = Files.writeString(tempDir.resolve("agent.yaml"), """
        poll:
          interval: 2s
          timeout: 2s
          stale_after: 4s
          warm_up: 0s
        iam:
          url: http://127.0.0.1:%1$d/identity/token
        instances:
          - id: %2$s
            name: leak-test
            region: us-south
            endpoint: http://127.0.0.1:%1$d
        """.formatted(fake.port(), INSTANCE));
  }

  @AfterEach
  void tearDown() {
    processes.close();
    fake.stop();
  }

  /**
   * Sends one request to each fake endpoint and then resets the fake. The first templated response
   * can take over a second on a busy machine, longer than the agent's timeout.
   */
  private void warmUpFake() throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    String base = "http://127.0.0.1:" + fake.port();
    client.send(HttpRequest.newBuilder(URI.create(base + TOKEN_PATH))
        .POST(HttpRequest.BodyPublishers.ofString("grant_type=warm-up")).build(),
        HttpResponse.BodyHandlers.discarding());
    client.send(HttpRequest.newBuilder(URI.create(base + UNITS_PATH)).GET().build(),
        HttpResponse.BodyHandlers.discarding());
    fake.resetScenarios();
    fake.resetRequests();
  }

  /** Cycles through a rejected key, an issued token and a failed refresh, echoing the request. */
  private void stubIam() {
    String echo = "{\"errorCode\": \"BXNIM0415E\", \"errorMessage\": \"Provided API key "
        + API_KEY + " could not be found\", \"request\": \"{{request.body}}\"}";
    stubTokenStep(STARTED, "key-rejected", templated(400, echo));
    stubTokenStep("key-rejected", "token-issued", okJson("""
        {"access_token": "%s", "refresh_token": "not-used", "token_type": "Bearer",
         "expires_in": 3600, "expiration": 4102444800}
        """.formatted(TOKEN)));
    stubTokenStep("token-issued", "key-rejected", templated(500, "IAM failed for " + echo));
  }

  private void stubTokenStep(String state, String next, ResponseDefinitionBuilder response) {
    fake.stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("iam")
        .whenScenarioStateIs(state).willReturn(response).willSetStateTo(next));
  }

  /** Cycles through 401, 500, a 200 that is not a unit list, and a good 200. */
  private void stubApi() {
    String echo = "token " + TOKEN + " in {{request.headers.Authorization}} for {{request.url}}";
    stubUnitsStep(STARTED, "unauthorized", templated(401, """
        {"resources": [{"errorMsg": "Unauthorized: %s", "reasons": [{"code": "UNAUTHORIZED_ERR",
         "message": "%s", "status": 401}]}]}
        """.formatted(echo, echo)));
    stubUnitsStep("unauthorized", "server-error", templated(500, "Internal error: " + echo));
    stubUnitsStep("server-error", "bad-body", templated(200, "{\"not_units\": \"" + echo + "\"}"));
    stubUnitsStep("bad-body", STARTED, okJson("""
        [{"id": "4d1c2a9e-0b7f-4e61-9c3a-0000000000a1", "instanceId": "%1$s",
          "state": "kms-initialized", "note": "%2$s"},
         {"id": "4d1c2a9e-0b7f-4e61-9c3a-0000000000a2", "instanceId": "%1$s",
          "state": "maintenance", "note": "%2$s"}]
        """.formatted(INSTANCE, TOKEN)));
  }

  private void stubUnitsStep(String state, String next, ResponseDefinitionBuilder response) {
    fake.stubFor(get(urlPathEqualTo(UNITS_PATH)).inScenario("api")
        .whenScenarioStateIs(state).willReturn(response).willSetStateTo(next));
  }

  private static ResponseDefinitionBuilder templated(int status, String body) {
    return aResponse().withStatus(status).withBody(body).withTransformers("response-template");
  }

  private static void assertNoSecret(String where, String text) {
    for (String secret : SECRETS) {
      assertThat(text).as(where).doesNotContain(secret);
    }
    for (String part : SECRET_PARTS) {
      assertThat(text).as(where).doesNotContain(part);
    }
  }

  private static void assertNoSecret(AgentProcess process) {
    assertNoSecret("standard output", process.stdout());
    assertNoSecret("standard error", process.stderr());
  }

  @Test
  void runShowsNoSecretAnywhere() throws IOException, InterruptedException {
    AgentProcess run = processes.start("run", TRACE_ENV,
        "run", "--config.file=" + config, "--web.listen-address=127.0.0.1:0");
    int port = run.webPort();
    List<String> pages = new ArrayList<>();

    // Every fake response at least once, reading every page between polls. The agent waits
    // 10 s before it requests a token again after a failure, so this takes a while.
    await("every fake response served").atMost(BOUND).ignoreExceptions()
        .until(() -> {
          for (String path : List.of("/metrics", "/", "/api/v1/instances")) {
            Http.Response response = Http.get(port, path);
            assertThat(response.status()).as(path).isEqualTo(200);
            pages.add(path + "\n" + response.body());
          }
          pages.add(Http.get(port, "/metrics", "application/openmetrics-text").body());
          pages.add("/metrics protobuf\n" + rawBody(port, "GET", "/metrics", PROTOBUF));
          return fake.countRequestsMatching(getRequestedFor(urlPathEqualTo(UNITS_PATH)).build())
              .getCount() >= 4
              && fake.countRequestsMatching(postRequestedFor(urlPathEqualTo(TOKEN_PATH)).build())
              .getCount() >= 3;
        });
    List<String> errorPages = errorResponses(port);
    String threadDump = jcmd(run.pid(), "Thread.print");
    run.terminate();
    run.awaitExit();

    String stderr = run.stderr();
    assertThat(stderr).as("TRACE level reached the agent's loggers").contains(" DEBUG ");
    assertThat(stderr).contains("reason=auth", "reason=server_error", "reason=bad_response");
    assertThat(String.join("\n", pages))
        .as("pages show the poll errors")
        .contains("keyprotect_poll_errors_total", "\"last_error_message\" : \"");
    assertNoSecret(run);
    for (String page : pages) {
      assertNoSecret(page.lines().findFirst().orElse(""), page);
    }
    assertThat(errorPages).hasSize(ERROR_REQUESTS.size());
    for (String page : errorPages) {
      assertNoSecret(page.lines().findFirst().orElse(""), page);
    }
    assertThat(threadDump).as("thread dump").contains("poll-worker");
    assertNoSecret("thread names and stacks (jcmd Thread.print)", threadDump);
  }

  /**
   * Sends requests that the agent does not route or that carry odd input, and returns each
   * status, headers and body. Error pages are where a server may echo a request or an exception.
   */
  private static List<String> errorResponses(int port) {
    List<String> pages = new ArrayList<>();
    for (List<String> request : ERROR_REQUESTS) {
      String method = request.get(0);
      String path = request.get(1);
      pages.add(method + " " + path + "\n" + rawBody(port, method, path, request.get(2)));
    }
    return pages;
  }

  /** Returns the status and the body, decoded byte for byte, so binary formats keep ASCII. */
  private static String rawBody(int port, String method, String path, String accept) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Accept", accept)
        .timeout(Duration.ofSeconds(30))
        .method(method, HttpRequest.BodyPublishers.noBody())
        .build();
    try {
      HttpResponse<byte[]> response =
          HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
      return response.statusCode() + "\n" + response.headers().map() + "\n"
          + new String(response.body(), StandardCharsets.ISO_8859_1);
    } catch (IOException e) {
      throw new UncheckedIOException(method + " " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Runs the JDK's jcmd against the agent, whose JVM is the same JDK's. */
  private static String jcmd(long pid, String command) throws IOException, InterruptedException {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    Process process = new ProcessBuilder(jcmd.toString(), Long.toString(pid), command)
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("jcmd ended").isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  @Test
  void onceShowsNoSecret() {
    Set<Integer> exitCodes = new TreeSet<>();
    for (int i = 1; i <= 5; i++) {
      AgentProcess once = processes.start("once-" + i, TRACE_ENV, "once", "--config.file=" + config);
      exitCodes.add(once.awaitExit());

      assertNoSecret(once);
    }

    // A run whose retries reach the unit list finds a single serving unit and warns (1).
    assertThat(exitCodes).as("exit codes of five runs").contains(3).isSubsetOf(0, 1, 3);
  }

  @Test
  void checkConfigShowsNoSecret() throws IOException {
    Path keyFile = Files.writeString(tempDir.resolve("api-key"), API_KEY + "\n");
    Files.setPosixFilePermissions(keyFile, PosixFilePermissions.fromString("rw-------"));
    Path keyInConfig = Files.writeString(tempDir.resolve("key-in-config.yaml"), """
        iam:
          url: https://iam-user:%1$s@127.0.0.1:9/identity/token
          api_key_env: %1$s
          api_key: %1$s
        instances:
          - id: %2$s
            region: us-south
            endpoint: http://127.0.0.1:9
        """.formatted(API_KEY, INSTANCE));

    AgentProcess valid = processes.start("valid", TRACE_ENV,
        "check-config", "--config.file=" + config);
    // A user may mix up the config file and the API key file.
    AgentProcess keyFileAsConfig = processes.start("key-file-as-config", TRACE_ENV,
        "check-config", "--config.file=" + keyFile);
    AgentProcess keyAsValues = processes.start("key-in-config", TRACE_ENV,
        "check-config", "--config.file=" + keyInConfig);

    assertThat(valid.awaitExit()).as(valid.describeOutput()).isZero();
    assertThat(keyFileAsConfig.awaitExit()).as(keyFileAsConfig.describeOutput()).isEqualTo(2);
    assertThat(keyAsValues.awaitExit()).as(keyAsValues.describeOutput()).isEqualTo(2);
    assertThat(keyAsValues.stderr()).contains("iam.url", "iam.api_key_env", "iam.api_key");
    for (AgentProcess check : List.of(valid, keyFileAsConfig, keyAsValues)) {
      assertNoSecret(check);
    }
  }
}
