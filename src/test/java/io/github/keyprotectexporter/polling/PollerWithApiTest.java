package io.github.keyprotectexporter.polling;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.sources.KeyProtectApiSource;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.testing.MutableClock;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The poller, the real API source and the metrics together, against WireMock. */
class PollerWithApiTest {

  private static final String ID = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String UNITS_PATH = "/api/v1/cryptounits";
  private static final PollSettings SETTINGS = new PollSettings(Duration.ofSeconds(30),
      Duration.ofSeconds(5), Duration.ofSeconds(90), Duration.ofMinutes(5), 2);

  private final WireMockServer api =
      new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private SnapshotStore store;
  private ExporterMetrics metrics;
  private KeyProtectApiSource source;
  private Poller poller;

  @BeforeEach
  void start() {
    api.start();
    api.stubFor(post("/identity/token").willReturn(okJson(
        "{\"access_token\": \"token-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}")));
    InstanceConfig instance =
        new InstanceConfig(ID, "payments-prod", "us-south", false, URI.create(api.baseUrl()));
    ExporterConfig config = new ExporterConfig(SETTINGS,
        new IamSettings(URI.create(api.baseUrl() + "/identity/token"), "UNUSED", null),
        List.of(instance));
    store = new SnapshotStore(config.instances());
    metrics = ExporterMetrics.createWithoutJvmMetrics(store, config.instances(), clock);
    source = KeyProtectApiSource.create(config, new Secret("test-api-key"), metrics);
    poller = new Poller(SETTINGS, config.instances(), source, store, metrics, clock);
  }

  @AfterEach
  void stop() {
    poller.close();
    source.close();
    api.stop();
  }

  private void answerUnits(String json) {
    api.stubFor(get(urlEqualTo(UNITS_PATH)).willReturn(okJson(json)));
  }

  private String scrape() throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out,
        metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  private static String sample(String name, String labels) {
    return name + "{" + labels + "}";
  }

  @Test
  void unitsAppearAndDisappear() throws Exception {
    answerUnits("""
        [{"id": "u1", "instanceId": "%s", "state": "kms-initialized"}]""".formatted(ID));
    poller.pollAllOnce();
    assertThat(scrape()).contains(sample("keyprotect_crypto_unit_state_since_timestamp_seconds",
        "crypto_unit_id=\"u1\",instance_id=\"" + ID + "\""));

    clock.advance(Duration.ofSeconds(30));
    answerUnits("""
        {"crypto_units": [
          {"id": "u1", "state": "kms-initialized"},
          {"id": "u2", "state": "kms-initialized"}]}""");
    poller.pollAllOnce();
    String withTwo = scrape();

    clock.advance(Duration.ofSeconds(30));
    answerUnits("""
        {"metadata": {"collectionTotal": 1}, "resources": [{"id": "u2", "state": "maintenance"}]}""");
    poller.pollAllOnce();
    String withOne = scrape();

    assertThat(withTwo).contains("crypto_unit_id=\"u2\"");
    assertThat(withTwo).contains(
        sample("keyprotect_instance_serving_units", "instance_id=\"" + ID + "\"") + " 1.0");
    assertThat(withOne).doesNotContain("crypto_unit_id=\"u1\"");
    assertThat(withOne).contains(sample("keyprotect_crypto_units",
        "instance_id=\"" + ID + "\",state=\"maintenance\"") + " 1.0");
    assertThat(withOne).contains(
        sample("keyprotect_instance_ready", "instance_id=\"" + ID + "\"") + " 0.0");
  }

  @Test
  void failedPollsKeepUnitsUntilStaleAfter() throws Exception {
    answerUnits("""
        [{"id": "u1", "state": "kms-initialized"}, {"id": "u2", "state": "kms-initialized"}]""");
    poller.pollAllOnce();

    api.stubFor(get(urlEqualTo(UNITS_PATH)).willReturn(aResponse().withStatus(503)
        .withHeader("Content-Type", "text/plain").withBody("no healthy upstream")));
    clock.advance(Duration.ofSeconds(60));
    poller.pollAllOnce();
    String failing = scrape();
    clock.advance(Duration.ofSeconds(30));
    poller.pollAllOnce();
    String stale = scrape();

    String up = sample("keyprotect_up", "instance_id=\"" + ID + "\"");
    String errors = sample("keyprotect_poll_errors_total",
        "instance_id=\"" + ID + "\",reason=\"server_error\"");
    assertThat(failing).contains(up + " 0.0").contains(errors + " 1.0");
    assertThat(failing).contains("crypto_unit_id=\"u1\"");
    assertThat(failing).contains(
        sample("keyprotect_instance_ready", "instance_id=\"" + ID + "\"") + " 1.0");
    assertThat(stale).contains(errors + " 2.0");
    assertThat(stale).doesNotContain("crypto_unit_id=\"u1\"");
    assertThat(stale).doesNotContain("keyprotect_crypto_units{");
    assertThat(stale).contains(
        sample("keyprotect_instance_ready", "instance_id=\"" + ID + "\"") + " 0.0");
    assertThat(stale).contains(sample("keyprotect_last_poll_success_timestamp_seconds",
        "instance_id=\"" + ID + "\""));
    assertThat(store.get(ID).lastError()).isEqualTo(PollErrorReason.SERVER_ERROR);
    assertThat(store.get(ID).lastErrorMessage()).contains("503").contains("no healthy upstream");
  }

  @Test
  void requestsAreCountedByOperationAndCode() throws Exception {
    answerUnits("[]");

    poller.pollAllOnce();
    poller.pollAllOnce();

    String text = scrape();
    assertThat(text).contains(sample("keyprotect_api_requests_total",
        "code=\"200\",instance_id=\"" + ID + "\",operation=\"iam_token\"") + " 1.0");
    assertThat(text).contains(sample("keyprotect_api_requests_total",
        "code=\"200\",instance_id=\"" + ID + "\",operation=\"list_crypto_units\"") + " 2.0");
  }
}
