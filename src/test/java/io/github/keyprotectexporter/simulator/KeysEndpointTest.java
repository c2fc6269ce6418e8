package io.github.keyprotectexporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The simulated key API: {@code HEAD} and {@code GET /api/v2/keys} and the key API faults. */
class KeysEndpointTest {

  private static final String PAYMENTS = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
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
              description: Key operations work.
              units: &units
                - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a1, state: kms-initialized}
                - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a2, state: kms-initialized}
            - duration: 10s
              description: Master keys differ.
              units: *units
              key_api_fault:
                status: 503
                content_type: text/plain
                body: no healthy upstream
      """;

  private final HttpClient client = HttpClient.newHttpClient();
  private final ObjectMapper json = new ObjectMapper();
  private final MutableClock clock = new MutableClock(START);
  private SimulatorServer server;

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  private SimulatorServer start(String scenario) {
    server =
        SimulatorServer.builder(ScenarioLoader.parse(scenario, "test.yaml"))
            .clock(clock)
            .build()
            .start();
    return server;
  }

  private String bearer() throws Exception {
    String form = "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=any-key";
    HttpRequest request =
        HttpRequest.newBuilder(server.tokenUrl())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(form))
            .build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    return "Bearer " + json.readTree(response.body()).get("access_token").asText();
  }

  private HttpResponse<String> send(String method, String authorization, String instance)
      throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v2/keys?limit=1"))
            .method(method, HttpRequest.BodyPublishers.noBody());
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    if (instance != null) {
      request.header("Bluemix-Instance", instance);
    }
    return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Nested
  class Working {

    @Test
    void headReturnsKeyTotal() throws Exception {
      start(SCENARIO);

      HttpResponse<String> response = send("HEAD", bearer(), PAYMENTS);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Key-Total")).hasValue("0");
      assertThat(response.body()).isEmpty();
      assertThat(server.keyApiRequestCount(PAYMENTS)).isEqualTo(1);
      assertThat(server.requestCount(PAYMENTS)).isZero();
    }

    @Test
    void getReturnsEmptyKeyList() throws Exception {
      start(SCENARIO);

      HttpResponse<String> response = send("GET", bearer(), PAYMENTS);

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.headers().firstValue("Key-Total")).hasValue("0");
      JsonNode body = json.readTree(response.body());
      assertThat(body.at("/metadata/collectionType").asText())
          .isEqualTo("application/vnd.ibm.kms.key+json");
      assertThat(body.at("/metadata/collectionTotal").asInt()).isZero();
      assertThat(body.get("resources")).isEmpty();
    }

    @Test
    void buildsProbedAgentInstanceConfigs() {
      start(SCENARIO);

      List<InstanceConfig> configs = server.instanceConfigs(Duration.ofSeconds(5));

      assertThat(configs).hasSize(1);
      assertThat(configs.get(0).endpoint()).isEqualTo(server.baseUrl());
      assertThat(configs.get(0).probe().enabled()).isTrue();
      assertThat(configs.get(0).probe().interval()).isEqualTo(Duration.ofSeconds(5));
      assertThat(configs.get(0).probe().endpoint()).isEqualTo(server.baseUrl());
    }
  }

  @Nested
  class Rejections {

    @Test
    void missingTokenIsUnauthorized() throws Exception {
      start(SCENARIO);

      assertThat(send("HEAD", null, PAYMENTS).statusCode()).isEqualTo(401);
      HttpResponse<String> get = send("GET", "Bearer made-up-token", PAYMENTS);
      assertThat(get.statusCode()).isEqualTo(401);
      assertThat(json.readTree(get.body()).at("/resources/0/reasons/0/code").asText())
          .isEqualTo("UNAUTHORIZED_ERR");
    }

    @Test
    void missingInstanceHeaderIsBadRequest() throws Exception {
      start(SCENARIO);

      assertThat(send("HEAD", bearer(), null).statusCode()).isEqualTo(400);
      assertThat(send("GET", bearer(), null).body()).contains("Bluemix-Instance");
    }

    @Test
    void unknownInstanceIsNotFound() throws Exception {
      start(SCENARIO);
      String unknown = "00000000-0000-4000-8000-000000000000";

      HttpResponse<String> response = send("GET", bearer(), unknown);

      assertThat(response.statusCode()).isEqualTo(404);
      assertThat(response.body()).contains(unknown);
      assertThat(server.keyApiRequestCount(unknown)).isZero();
    }
  }

  @Nested
  class Faults {

    @Test
    void headGetsFaultStatusWithoutBody() throws Exception {
      start(SCENARIO);
      String bearer = bearer();
      clock.advance(Duration.ofSeconds(10));

      HttpResponse<String> response = send("HEAD", bearer, PAYMENTS);

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.body()).isEmpty();
      assertThat(response.headers().firstValue("Key-Total")).isEmpty();
    }

    @Test
    void getGetsFaultBody() throws Exception {
      start(SCENARIO);
      String bearer = bearer();
      clock.advance(Duration.ofSeconds(10));

      HttpResponse<String> response = send("GET", bearer, PAYMENTS);

      assertThat(response.statusCode()).isEqualTo(503);
      assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain");
      assertThat(response.body()).isEqualTo("no healthy upstream");
    }

    @Test
    void cryptoUnitsStayHealthyDuringKeyApiFault() throws Exception {
      start(SCENARIO);
      String bearer = bearer();
      clock.advance(Duration.ofSeconds(10));

      HttpRequest request =
          HttpRequest.newBuilder(URI.create(server.baseUrl() + "/api/v1/cryptounits"))
              .header("Authorization", bearer)
              .header("Bluemix-Instance", PAYMENTS)
              .build();
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("kms-initialized").doesNotContain("upstream");
    }
  }
}
