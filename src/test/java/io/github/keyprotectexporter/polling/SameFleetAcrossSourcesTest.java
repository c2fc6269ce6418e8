package io.github.keyprotectexporter.polling;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.keyprotectexporter.config.CommandSourceConfig;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.FileSourceConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.config.SourceConfig;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.http.WebServer;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import io.github.keyprotectexporter.sources.CryptoUnitSources;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reads one fleet from the API (WireMock), an adapter file and a command that prints the CLI
 * table, and compares what {@code /metrics} serves for each.
 */
class SameFleetAcrossSourcesTest {

  private static final String ID = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final PollSettings SETTINGS = new PollSettings(Duration.ofSeconds(30),
      Duration.ofSeconds(5), Duration.ofSeconds(90), Duration.ofMinutes(5), 2);
  /**
   * Families whose values depend on how the units were read: requests exist only for the API,
   * and durations are measured.
   */
  private static final List<String> SOURCE_SPECIFIC = List.of(
      "keyprotect_api_requests_total", "keyprotect_last_poll_duration_seconds");

  @TempDir Path directory;
  private final WireMockServer api =
      new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void startApi() {
    api.start();
    api.stubFor(post("/identity/token").willReturn(okJson(
        "{\"access_token\": \"token-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}")));
    api.stubFor(get(urlEqualTo("/api/v1/cryptounits")).willReturn(okJson("""
        [
          {"id": "u1", "instanceId": "%1$s", "state": "kms-initialized"},
          {"id": "u2", "instanceId": "%1$s", "state": "maintenance"},
          {"id": "u3", "instanceId": "%1$s", "state": "retired"}
        ]""".formatted(ID))));
  }

  @AfterEach
  void stopApi() {
    api.stop();
  }

  @Test
  void sharedMetricsAreByteIdentical() throws Exception {
    Path file = directory.resolve("units.json");
    Files.writeString(file, """
        {"generatedAt": "%s", "instances": [{"id": "%s", "units": [
          {"id": "u1", "state": "kms-initialized"},
          {"id": "u2", "state": "maintenance"},
          {"id": "u3", "state": "retired"}
        ]}]}
        """.formatted(START, ID));
    Path table = directory.resolve("table.txt");
    Files.writeString(table, """
        Retrieving crypto units...
        OK
        Id   InstanceID                             State
        u1   %1$s   kms-initialized
        u2   %1$s   maintenance
        u3   %1$s   retired
        """.formatted(ID));

    String fromApi = sharedMetrics(null);
    String fromFile = sharedMetrics(new FileSourceConfig(file, null));
    String fromCommand = sharedMetrics(new CommandSourceConfig(
        List.of("/bin/cat", table.toString()), null, Map.of(), 1024 * 1024, null));

    assertThat(fromApi).contains("keyprotect_crypto_units{instance_id=\"" + ID
        + "\",state=\"unknown\"} 1.0");
    assertThat(fromFile).isEqualTo(fromApi);
    assertThat(fromCommand).isEqualTo(fromApi);
  }

  /** Polls the fleet twice through a whole agent stack and returns its shared metric lines. */
  private String sharedMetrics(SourceConfig source) throws Exception {
    MutableClock clock = new MutableClock(START);
    InstanceConfig instance = new InstanceConfig(ID, "payments-prod", "us-south", false,
        URI.create(api.baseUrl()), source);
    ExporterConfig config = new ExporterConfig(SETTINGS,
        new IamSettings(URI.create(api.baseUrl() + "/identity/token"), "UNUSED", null),
        List.of(instance));
    SnapshotStore store = new SnapshotStore(config.instances());
    ExporterMetrics metrics =
        ExporterMetrics.createWithoutJvmMetrics(store, config.instances(), clock);
    try (CryptoUnitSource units = CryptoUnitSources.create(config, new Secret("test-api-key"),
            metrics, clock, Map.of());
        Poller poller = new Poller(SETTINGS, config.instances(), units, store, metrics, clock);
        WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"),
            metrics.registry(), store, clock)) {
      poller.pollAllOnce();
      clock.advance(Duration.ofSeconds(30));
      poller.pollAllOnce();
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
          .header("Accept", "text/plain").build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body().lines()
          .filter(line -> SOURCE_SPECIFIC.stream().noneMatch(line::contains))
          .collect(Collectors.joining("\n"));
    }
  }
}
