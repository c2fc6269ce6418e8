package io.github.keyprotectexporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class StatsEndpointTest {

  private static final String SCENARIO = """
      name: stats
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          region: us-south
          timeline:
            - duration: 1m
              units: [{id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a1, state: kms-initialized}]
        - id: 2b8c4f61-93de-47a0-8e15-00000000c0fe
          region: us-east
          timeline:
            - duration: 1m
              units: [{id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000b1, state: kms-initialized}]
      """;

  private final HttpClient client = HttpClient.newHttpClient();
  private SimulatorServer simulator;

  @AfterEach
  void stop() {
    if (simulator != null) {
      simulator.close();
    }
  }

  @Test
  void reportsRequestCountsAndPeak() throws Exception {
    Clock clock = Clock.fixed(Instant.parse("2026-03-01T12:00:00Z"), ZoneOffset.UTC);
    simulator = SimulatorServer.builder(ScenarioLoader.parse(SCENARIO, "stats.yaml"))
        .clock(clock)
        .build()
        .start();
    String token = token();
    listUnits(token, "7f3e9b10-5c2d-4a8e-b1f0-00000000beef");
    listUnits(token, "7f3e9b10-5c2d-4a8e-b1f0-00000000beef");
    listUnits(token, "2b8c4f61-93de-47a0-8e15-00000000c0fe");

    HttpResponse<String> response = client.send(
        HttpRequest.newBuilder(simulator.statsUrl()).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode stats = new ObjectMapper().readTree(response.body());
    assertThat(stats.get("crypto_unit_requests").asLong()).isEqualTo(3);
    assertThat(stats.get("token_requests").asLong()).isEqualTo(1);
    assertThat(stats.get("in_flight").asInt()).isZero();
    assertThat(stats.get("max_in_flight").asInt()).isEqualTo(1);
    assertThat(stats.get("instances_requested").asInt()).isEqualTo(2);
    assertThat(stats.get("min_requests_per_instance").asLong()).isEqualTo(1);
    assertThat(stats.get("max_requests_per_instance").asLong()).isEqualTo(2);
    assertThat(stats.get("scenario_elapsed_ms").asLong()).isZero();
  }

  private String token() throws Exception {
    HttpRequest request = HttpRequest.newBuilder(simulator.tokenUrl())
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(
            "grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=any"))
        .build();
    String body = client.send(request, HttpResponse.BodyHandlers.ofString()).body();
    return new ObjectMapper().readTree(body).get("access_token").asText();
  }

  private void listUnits(String token, String instanceId) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(
            URI.create(simulator.baseUrl() + "/api/v1/cryptounits"))
        .header("Authorization", "Bearer " + token)
        .header("Bluemix-Instance", instanceId)
        .timeout(Duration.ofSeconds(30))
        .build();
    assertThat(client.send(request, HttpResponse.BodyHandlers.ofString()).statusCode())
        .isEqualTo(200);
  }
}
