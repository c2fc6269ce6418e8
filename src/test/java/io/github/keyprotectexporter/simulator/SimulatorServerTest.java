package io.github.keyprotectexporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class SimulatorServerTest {

  private static final String PAYMENTS = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String LEDGER = "2b8c4f61-93de-47a0-8e15-00000000c0fe";
  private static final String API_KEY = "test-api-key-0123456789";
  private static final Instant START = Instant.parse("2026-03-01T12:00:00Z");

  private static final String SCENARIO =
      """
      name: test
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          name: payments-prod
          region: us-south
          timeline:
            - duration: 10s
              description: Healthy.
              units:
                - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a1, state: kms-initialized}
                - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a2, state: Upgrading-Firmware}
            - duration: 20s
              description: Unit 1 in maintenance.
              units:
                - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a1, state: maintenance}
                - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a2, state: kms-initialized}
            - duration: 10s
              description: Mesh outage.
              fault:
                status: 503
                content_type: text/plain
                body: no healthy upstream
        - id: 2b8c4f61-93de-47a0-8e15-00000000c0fe
          name: ledger-prod
          region: us-east
          response_shape: crypto_units
          timeline:
            - duration: 1h
              description: Only unit 1 serves.
              units:
                - {id: 6a2f8c13-7e4b-4d09-b5c1-0000000000b1, state: kms-initialized}
                - {id: 6a2f8c13-7e4b-4d09-b5c1-0000000000b2, state: ~}
        - id: 9e5d3b27-1a4c-4f86-b7d2-00000000cafe
          name: analytics-es
          region: eu-es
          response_shape: resources
          timeline:
            - duration: 1h
              description: Slow.
              units:
                - {id: 85b7e1f4-3c2a-4e9d-8f60-0000000000d1, state: kms-initialized}
              fault: {delay: 300ms}
      """;

  private final HttpClient client = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final MutableClock clock = new MutableClock(START);
  private final List<SimulatorServer> servers = new ArrayList<>();

  @AfterEach
  void stopServers() {
    servers.forEach(SimulatorServer::close);
  }

  @Nested
  class Tokens {

    @Test
    void issuesBearerToken() throws Exception {
      SimulatorServer server = start(SCENARIO, true);

      HttpResponse<String> response = requestToken(server, API_KEY);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("application/json"));
      JsonNode body = json.readTree(response.body());
      assertThat(body.get("access_token").asText()).hasSizeGreaterThan(20);
      assertThat(body.get("refresh_token").asText())
          .isNotEqualTo(body.get("access_token").asText());
      assertThat(body.get("token_type").asText()).isEqualTo("Bearer");
      assertThat(body.get("expires_in").asLong()).isEqualTo(3600);
      assertThat(body.get("expiration").asLong()).isEqualTo(START.getEpochSecond() + 3600);
      assertThat(server.tokenRequests()).isEqualTo(1);
    }

    @Test
    void issuesDifferentTokenEachTime() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      assertThat(token(server)).isNotEqualTo(token(server));
    }

    @Test
    void rejectsWrongKeyWithoutEcho() throws Exception {
      SimulatorServer server = start(SCENARIO, true);

      HttpResponse<String> response = requestToken(server, "wrong-key-987654");

      assertThat(response.statusCode()).isEqualTo(400);
      JsonNode body = json.readTree(response.body());
      assertThat(body.get("errorCode").asText()).isEqualTo("BXNIM0415E");
      assertThat(body.get("errorMessage").asText())
          .isEqualTo("Provided API key could not be found.");
      assertThat(body.at("/context/requestId").asText()).isNotBlank();
      assertThat(response.body()).doesNotContain("wrong-key-987654");
    }

    @Test
    void acceptsAnyKeyByDefault() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      assertThat(requestToken(server, "anything").statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsMissingKey() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      String form = "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey";

      HttpResponse<String> response = postForm(server.tokenUrl(), form);

      assertThat(response.statusCode()).isEqualTo(400);
      JsonNode body = json.readTree(response.body());
      assertThat(body.get("errorCode").asText()).isEqualTo("BXNIM0109E");
      assertThat(body.get("errorDetails").asText())
          .isEqualTo("Property 'apikey' either missing or empty.");
    }

    @Test
    void rejectsOtherGrantType() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      HttpResponse<String> response = postForm(server.tokenUrl(), "grant_type=password&apikey=x");

      assertThat(response.statusCode()).isEqualTo(400);
      assertThat(json.readTree(response.body()).get("errorMessage").asText())
          .isEqualTo("Unsupported grant type.");
    }

    @Test
    void honoursConfiguredLifetime() throws Exception {
      SimulatorServer server =
          track(SimulatorServer.builder(ScenarioLoader.parse(SCENARIO, "test"))
              .clock(clock)
              .tokenLifetime(Duration.ofMinutes(5))
              .build()
              .start());

      JsonNode body = json.readTree(requestToken(server, API_KEY).body());

      assertThat(body.get("expires_in").asLong()).isEqualTo(300);
      assertThat(body.get("expiration").asLong()).isEqualTo(START.getEpochSecond() + 300);
    }
  }

  @Nested
  class Authorization {

    @Test
    void rejectsMissingToken() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      HttpResponse<String> response = get(server, null, PAYMENTS);

      assertUnauthorized(response);
    }

    @Test
    void rejectsTokenNotIssuedHere() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      assertUnauthorized(get(server, "Bearer made-up-token", PAYMENTS));
    }

    @Test
    void rejectsOtherScheme() throws Exception {
      SimulatorServer server = start(SCENARIO, false);
      String token = token(server);

      assertUnauthorized(get(server, "Basic " + token, PAYMENTS));
    }

    @Test
    void acceptsSchemeInAnyCase() throws Exception {
      SimulatorServer server = start(SCENARIO, false);
      String token = token(server);

      assertThat(get(server, "bearer " + token, PAYMENTS).statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsExpiredToken() throws Exception {
      SimulatorServer server = start(SCENARIO, false);
      String token = token(server);
      clock.advance(Duration.ofMinutes(59));
      assertThat(get(server, "Bearer " + token, LEDGER).statusCode()).isEqualTo(200);

      clock.advance(Duration.ofMinutes(1));

      assertUnauthorized(get(server, "Bearer " + token, LEDGER));
    }

    private void assertUnauthorized(HttpResponse<String> response) throws IOException {
      assertThat(response.statusCode()).isEqualTo(401);
      JsonNode body = json.readTree(response.body());
      assertThat(body.at("/metadata/collectionType").asText())
          .isEqualTo("application/vnd.ibm.kms.error+json");
      assertThat(body.at("/metadata/collectionTotal").asInt()).isEqualTo(1);
      assertThat(body.at("/resources/0/errorMsg").asText()).startsWith("Unauthorized:");
      assertThat(body.at("/resources/0/reasons/0/code").asText()).isEqualTo("UNAUTHORIZED_ERR");
      assertThat(body.at("/resources/0/reasons/0/status").asInt()).isEqualTo(401);
    }
  }

  @Nested
  class Routing {

    @Test
    void picksInstanceByHeader() throws Exception {
      SimulatorServer server = start(SCENARIO, false);
      String bearer = "Bearer " + token(server);

      JsonNode payments = json.readTree(get(server, bearer, PAYMENTS).body());
      JsonNode ledger = json.readTree(get(server, bearer, LEDGER).body());

      assertThat(payments.get(0).get("instanceId").asText()).isEqualTo(PAYMENTS);
      assertThat(ledger.at("/crypto_units/0/instanceId").asText()).isEqualTo(LEDGER);
      assertThat(server.requestCount(PAYMENTS)).isEqualTo(1);
      assertThat(server.requestCount(LEDGER)).isEqualTo(1);
      assertThat(server.requestCounts()).containsOnlyKeys(PAYMENTS, LEDGER);
    }

    @Test
    void rejectsMissingInstanceHeader() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      HttpResponse<String> response = get(server, "Bearer " + token(server), null);

      assertThat(response.statusCode()).isEqualTo(400);
      JsonNode body = json.readTree(response.body());
      assertThat(body.at("/resources/0/errorMsg").asText()).contains("Bluemix-Instance");
      assertThat(body.at("/resources/0/reasons/0/status").asInt()).isEqualTo(400);
    }

    @Test
    void rejectsUnknownInstance() throws Exception {
      SimulatorServer server = start(SCENARIO, false);
      String unknown = "00000000-0000-4000-8000-000000000000";

      HttpResponse<String> response = get(server, "Bearer " + token(server), unknown);

      assertThat(response.statusCode()).isEqualTo(404);
      JsonNode body = json.readTree(response.body());
      assertThat(body.at("/resources/0/errorMsg").asText()).contains(unknown);
      assertThat(body.at("/resources/0/reasons/0/status").asInt()).isEqualTo(404);
      assertThat(server.requestCounts()).isEmpty();
      assertThat(server.totalRequests()).isEqualTo(1);
    }

    @Test
    void buildsAgentInstanceConfigs() {
      SimulatorServer server = start(SCENARIO, false);

      List<InstanceConfig> configs = server.instanceConfigs();

      assertThat(configs)
          .extracting(InstanceConfig::id, InstanceConfig::name, InstanceConfig::region)
          .containsExactly(
              tuple(PAYMENTS, "payments-prod", "us-south"),
              tuple(LEDGER, "ledger-prod", "us-east"),
              tuple("9e5d3b27-1a4c-4f86-b7d2-00000000cafe", "analytics-es", "eu-es"));
      assertThat(configs)
          .allSatisfy(config -> assertThat(config.endpoint()).isEqualTo(server.baseUrl()));
      assertThat(server.baseUrl().toString()).isEqualTo("http://127.0.0.1:" + server.port());
      assertThat(server.tokenUrl()).isEqualTo(URI.create(server.baseUrl() + "/identity/token"));
    }
  }

  @Nested
  class ResponseShapes {

    @Test
    void sendsBareArray() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      HttpResponse<String> response = get(server, "Bearer " + token(server), PAYMENTS);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
          type -> assertThat(type).startsWith("application/json"));
      assertThat(json.readTree(response.body()))
          .isEqualTo(
              json.readTree(
                  """
                  [
                    {"id": "4d1c2a9e-0b7f-4e61-9c3a-0000000000a1",
                     "instanceId": "7f3e9b10-5c2d-4a8e-b1f0-00000000beef",
                     "state": "kms-initialized"},
                    {"id": "4d1c2a9e-0b7f-4e61-9c3a-0000000000a2",
                     "instanceId": "7f3e9b10-5c2d-4a8e-b1f0-00000000beef",
                     "state": "Upgrading-Firmware"}
                  ]
                  """));
    }

    @Test
    void wrapsInCryptoUnitsField() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      HttpResponse<String> response = get(server, "Bearer " + token(server), LEDGER);

      assertThat(json.readTree(response.body()))
          .isEqualTo(
              json.readTree(
                  """
                  {"crypto_units": [
                    {"id": "6a2f8c13-7e4b-4d09-b5c1-0000000000b1",
                     "instanceId": "2b8c4f61-93de-47a0-8e15-00000000c0fe",
                     "state": "kms-initialized"},
                    {"id": "6a2f8c13-7e4b-4d09-b5c1-0000000000b2",
                     "instanceId": "2b8c4f61-93de-47a0-8e15-00000000c0fe",
                     "state": null}
                  ]}
                  """));
    }

    @Test
    void wrapsInResourcesCollection() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      HttpResponse<String> response =
          get(server, "Bearer " + token(server), "9e5d3b27-1a4c-4f86-b7d2-00000000cafe");

      assertThat(json.readTree(response.body()))
          .isEqualTo(
              json.readTree(
                  """
                  {"metadata": {"collectionType": "application/json", "collectionTotal": 1},
                   "resources": [
                     {"id": "85b7e1f4-3c2a-4e9d-8f60-0000000000d1",
                      "instanceId": "9e5d3b27-1a4c-4f86-b7d2-00000000cafe",
                      "state": "kms-initialized"}
                   ]}
                  """));
    }
  }

  @Nested
  class Timeline {

    @Test
    void advancesWithClock() throws Exception {
      SimulatorServer server = start(SCENARIO, false);
      String bearer = "Bearer " + token(server);

      clock.advance(Duration.ofSeconds(10));

      JsonNode units = json.readTree(get(server, bearer, PAYMENTS).body());
      assertThat(units.get(0).get("state").asText()).isEqualTo("maintenance");
      assertThat(server.currentStep(PAYMENTS).description()).isEqualTo("Unit 1 in maintenance.");
    }

    @Test
    void sendsFaultOfStep() throws Exception {
      SimulatorServer server = start(SCENARIO, false);
      String bearer = "Bearer " + token(server);

      clock.advance(Duration.ofSeconds(30));

      HttpResponse<String> response = get(server, bearer, PAYMENTS);
      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
      assertThat(response.body()).isEqualTo("no healthy upstream");
    }

    @Test
    void loopsBackToFirstStep() throws Exception {
      SimulatorServer server = start(SCENARIO, true);
      clock.advance(Duration.ofSeconds(40));

      String bearer = "Bearer " + token(server);
      HttpResponse<String> response = get(server, bearer, PAYMENTS);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(json.readTree(response.body()).get(0).get("state").asText())
          .isEqualTo("kms-initialized");
    }

    @Test
    void staysAtLastStepWithoutLoop() throws Exception {
      SimulatorServer server = start("loop: false\n" + SCENARIO, false);
      clock.advance(Duration.ofMinutes(30));

      HttpResponse<String> response = get(server, "Bearer " + token(server), PAYMENTS);

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(server.currentStep(PAYMENTS).description()).isEqualTo("Mesh outage.");
    }

    @Test
    void startsClockAtStart() throws Exception {
      SimulatorServer server =
          track(
              SimulatorServer.builder(ScenarioLoader.parse(SCENARIO, "test.yaml"))
                  .clock(clock)
                  .build());
      clock.advance(Duration.ofSeconds(15));

      server.start();

      assertThat(server.currentStep(PAYMENTS).description()).isEqualTo("Healthy.");
    }

    @Test
    void passesUnknownStatesVerbatim() throws Exception {
      SimulatorServer server = start(SCENARIO, false);

      HttpResponse<String> response = get(server, "Bearer " + token(server), PAYMENTS);

      assertThat(response.body()).contains("\"state\":\"Upgrading-Firmware\"");
    }
  }

  @Nested
  class BuiltIns {

    @ParameterizedTest
    @MethodSource("io.github.keyprotectexporter.simulator.BuiltInScenarios#names")
    void servesBuiltInScenario(String name) throws Exception {
      SimulatorServer server =
          track(SimulatorServer.builder(BuiltInScenarios.load(name)).clock(clock).build().start());
      String bearer = "Bearer " + token(server);

      for (SimulatedInstance instance : server.instances()) {
        HttpResponse<String> response = get(server, bearer, instance.id());

        assertThat(response.statusCode()).as(instance.name()).isEqualTo(200);
        assertThat(response.body()).contains(instance.timeline().get(0).units().get(0).id());
      }
    }
  }

  @Nested
  class Load {

    @Test
    void countsDelayedRequestsInFlight() throws Exception {
      SimulatorServer server = start(SCENARIO, false);
      String bearer = "Bearer " + token(server);
      String slow = "9e5d3b27-1a4c-4f86-b7d2-00000000cafe";

      List<CompletableFuture<HttpResponse<String>>> responses = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        responses.add(client.sendAsync(request(server, bearer, slow), bodyAsString()));
      }

      for (CompletableFuture<HttpResponse<String>> response : responses) {
        assertThat(response.get().statusCode()).isEqualTo(200);
      }
      assertThat(server.requestCount(slow)).isEqualTo(4);
      assertThat(server.maxInFlight()).isBetween(1, 4);
      assertThat(server.inFlight()).isZero();
    }
  }

  private SimulatorServer start(String yaml, boolean requireKey) {
    SimulatorServer.Builder builder =
        SimulatorServer.builder(ScenarioLoader.parse(yaml, "test.yaml")).clock(clock);
    if (requireKey) {
      builder.apiKey(new Secret(API_KEY));
    }
    return track(builder.build().start());
  }

  private SimulatorServer track(SimulatorServer server) {
    servers.add(server);
    return server;
  }

  private String token(SimulatorServer server) throws Exception {
    HttpResponse<String> response = requestToken(server, API_KEY);
    assertThat(response.statusCode()).isEqualTo(200);
    return json.readTree(response.body()).get("access_token").asText();
  }

  private HttpResponse<String> requestToken(SimulatorServer server, String apiKey)
      throws Exception {
    String form =
        "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=" + apiKey;
    return postForm(server.tokenUrl(), form);
  }

  private HttpResponse<String> postForm(URI url, String form) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(url)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    return client.send(request, bodyAsString());
  }

  private HttpResponse<String> get(SimulatorServer server, String authorization, String instance)
      throws Exception {
    return client.send(request(server, authorization, instance), bodyAsString());
  }

  private static HttpRequest request(
      SimulatorServer server, String authorization, String instance) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/cryptounits"));
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (instance != null) {
      request.header("Bluemix-Instance", instance);
    }
    return request.GET().build();
  }

  private static HttpResponse.BodyHandler<String> bodyAsString() {
    return HttpResponse.BodyHandlers.ofString();
  }
}
