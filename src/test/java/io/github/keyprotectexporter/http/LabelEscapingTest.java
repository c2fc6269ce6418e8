package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keyprotectexporter.alerting.RequiredTools;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.metrics.SampleStore;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Serves label values with quotes, backslashes, line breaks and non-ASCII text through the real
 * endpoints and checks that every exposition format, the status page and the JSON API keep them
 * intact and the documents valid. Instance names come from the config, while unit ids and error
 * messages come from the API.
 */
class LabelEscapingTest {

  private static final String INSTANCE_ID = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String NAME = "vault \"prod\" C:\\keys\\ \u2014 Z\u00fcrich\nline two";
  private static final String UNIT_ID = "unit \"a\"\\b \u6771\u4eac \ud83d\udd10";
  private static final String SECOND_UNIT_ID = "trailing backslash\\";
  private static final String ERROR = "HTTP 500: {\"errorMsg\": \"r\u00e9essayer\\n\"}\n<b>x</b>";
  private static final String TEXT_FORMAT = "text/plain; version=0.0.4; charset=utf-8";
  private static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0";
  private static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
          + " encoding=delimited";
  /** One label pair of the text formats: a name and a quoted value with escapes. */
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_]\\w*)=\"((?:[^\"\\\\\\n]|\\\\.)*)\"");

  private static WebServer server;
  private static HttpTestClient client;

  @BeforeAll
  static void startServer() {
    InstanceConfig instance = SampleStore.instance(INSTANCE_ID, NAME, "eu-de");
    SnapshotStore store = new SnapshotStore(List.of(instance));
    InstanceSnapshot polled =
        SampleStore.success(
            instance,
            Duration.ofSeconds(30),
            Duration.ofMillis(5),
            List.of(
                SampleStore.unit(UNIT_ID, CryptoUnitState.KMS_INITIALIZED,
                    "2026-01-01T00:00:00Z", "9A3F0C"),
                SampleStore.unit(SECOND_UNIT_ID, CryptoUnitState.MAINTENANCE,
                    "2026-01-01T00:00:00Z")));
    store.put(SampleStore.failure(polled, Duration.ofMillis(5), PollErrorReason.SERVER_ERROR,
        ERROR));
    ExporterMetrics metrics =
        ExporterMetrics.createWithoutJvmMetrics(store, List.of(instance), SampleStore.CLOCK);
    metrics.pollFailed(INSTANCE_ID, PollErrorReason.SERVER_ERROR);
    server = WebServer.start(
        new ListenAddress("127.0.0.1", 0), metrics.registry(), store, SampleStore.CLOCK);
    client = new HttpTestClient(server.port());
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void textFormatPassesPromtool(@TempDir Path directory) throws Exception {
    Path promtool = RequiredTools.promtool();
    Path scrape = Files.write(directory.resolve("metrics.txt"), scrape(TEXT_FORMAT).body());

    Process process = new ProcessBuilder(promtool.toString(), "check", "metrics")
        .redirectInput(scrape.toFile())
        .redirectErrorStream(true)
        .start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
  }

  @Test
  void textFormatRoundTripsLabelValues() {
    String text = body(scrape(TEXT_FORMAT));

    assertThat(text).contains(
        "name=\"vault \\\"prod\\\" C:\\\\keys\\\\ \u2014 Z\u00fcrich\\nline two\"");
    assertThat(labelValues(text, "keyprotect_instance_info", "name")).containsExactly(NAME);
    assertThat(labelValues(text, "keyprotect_crypto_unit_state_since_timestamp_seconds",
        "crypto_unit_id")).containsExactlyInAnyOrder(UNIT_ID, SECOND_UNIT_ID);
  }

  @Test
  void openMetricsRoundTripsLabelValues() {
    HttpResponse<byte[]> response = scrape(OPENMETRICS);
    String text = body(response);

    assertThat(HttpTestClient.contentType(response)).startsWith(OPENMETRICS);
    assertThat(text).endsWith("# EOF\n");
    assertThat(labelValues(text, "keyprotect_instance_info", "name")).containsExactly(NAME);
    assertThat(labelValues(text, "keyprotect_crypto_unit_master_key_info", "crypto_unit_id"))
        .containsExactly(UNIT_ID);
  }

  @Test
  void protobufParsesBackWithLabelValues() throws IOException {
    HttpResponse<byte[]> response = scrape(PROTOBUF);
    Map<String, List<Map<String, String>>> families = parseProtobuf(response.body());

    assertThat(HttpTestClient.contentType(response)).isEqualTo(PROTOBUF);
    assertThat(families.get("keyprotect_instance_info"))
        .containsExactly(Map.of("instance_id", INSTANCE_ID, "name", NAME, "region", "eu-de"));
    assertThat(families.get("keyprotect_crypto_unit_state_since_timestamp_seconds"))
        .extracting(labels -> labels.get("crypto_unit_id"))
        .containsExactlyInAnyOrder(UNIT_ID, SECOND_UNIT_ID);
  }

  @Test
  void statusPageEscapesHtml() {
    HttpResponse<byte[]> response = client.get("/");
    String html = body(response);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(html).contains("vault &quot;prod&quot; C:\\keys\\ \u2014 Z\u00fcrich");
    assertThat(html).contains("unit &quot;a&quot;\\b \u6771\u4eac \ud83d\udd10");
    assertThat(html).contains("&lt;b&gt;x&lt;/b&gt;");
    assertThat(html).doesNotContain("<b>x</b>");
  }

  @Test
  void instancesApiRoundTripsValues() throws IOException {
    HttpResponse<byte[]> response = client.get("/api/v1/instances");
    JsonNode instance = new ObjectMapper().readTree(response.body()).get("instances").get(0);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(instance.get("name").asText()).isEqualTo(NAME);
    assertThat(instance.get("units").get(0).get("id").asText()).isEqualTo(UNIT_ID);
    assertThat(instance.get("units").get(1).get("id").asText()).isEqualTo(SECOND_UNIT_ID);
    assertThat(instance.get("last_error_message").asText()).isEqualTo(ERROR);
  }

  private static HttpResponse<byte[]> scrape(String accept) {
    HttpResponse<byte[]> response = client.get("/metrics", "Accept", accept);
    assertThat(response.statusCode()).as(accept).isEqualTo(200);
    return response;
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  /**
   * Returns the unescaped values of one label on every sample line of a metric, after checking
   * that the whole label set of each line parses with the text format's three escapes.
   */
  private static List<String> labelValues(String exposition, String metric, String label) {
    List<String> values = new ArrayList<>();
    for (String line : exposition.split("\n", -1)) {
      if (!line.startsWith(metric + "{")) {
        continue;
      }
      String labels = line.substring(metric.length() + 1, line.lastIndexOf("} "));
      Matcher matcher = LABEL.matcher(labels);
      int end = 0;
      while (matcher.find() && matcher.start() == end) {
        if (matcher.group(1).equals(label)) {
          values.add(unescape(matcher.group(2)));
        }
        end = matcher.end() < labels.length() && labels.charAt(matcher.end()) == ','
            ? matcher.end() + 1 : matcher.end();
      }
      assertThat(end).as("label set parsed to its end: " + line).isEqualTo(labels.length());
    }
    return values;
  }

  private static String unescape(String value) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c != '\\') {
        text.append(c);
        continue;
      }
      char escaped = value.charAt(++i);
      assertThat(escaped).as("escape in " + value).isIn('\\', '"', 'n');
      text.append(escaped == 'n' ? '\n' : escaped);
    }
    return text.toString();
  }

  /** Parses length-delimited MetricFamily messages into label maps by family name. */
  private static Map<String, List<Map<String, String>>> parseProtobuf(byte[] body)
      throws IOException {
    Map<String, List<Map<String, String>>> families = new HashMap<>();
    try (InputStream in = new ByteArrayInputStream(body)) {
      Metrics.MetricFamily family;
      while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
        List<Map<String, String>> samples = new ArrayList<>();
        for (Metrics.Metric metric : family.getMetricList()) {
          Map<String, String> labels = new HashMap<>();
          metric.getLabelList().forEach(pair -> labels.put(pair.getName(), pair.getValue()));
          samples.add(labels);
        }
        families.put(family.getName(), samples);
      }
    }
    return families;
  }
}
