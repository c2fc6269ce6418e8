package io.github.keyprotectexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Keeps the README's metrics table in step with the metrics the agent registers. */
class ReadmeMetricsTableTest {

  private static final Pattern TABLE_ROW =
      Pattern.compile("^\\| `(keyprotect_[a-z_]+)` \\| (gauge|counter) \\| (.*?) \\|");
  private static final Pattern LABEL = Pattern.compile("`([a-z_]+)`");

  @Test
  void readmeTableMatchesRegisteredMetrics() throws IOException {
    Map<String, String> documented = documentedMetrics();

    Map<String, String> registered = new TreeMap<>();
    ExporterMetrics metrics = ExporterMetrics.createWithoutJvmMetrics(
        SampleStore.create(), SampleStore.instances(), SampleStore.CLOCK);
    for (MetricSnapshot snapshot : metrics.registry().scrape()) {
      // The client library stores counter and info names without their _total and _info suffix.
      boolean counter = snapshot instanceof CounterSnapshot;
      String suffix = "";
      if (counter) {
        suffix = "_total";
      } else if (snapshot instanceof InfoSnapshot) {
        suffix = "_info";
      }
      String name = snapshot.getMetadata().getPrometheusName() + suffix;
      registered.put(name, counter ? "counter" : "gauge");
    }

    assertThat(documented).isEqualTo(registered);
  }

  @Test
  void readmeLabelsMatchExposedLabels() throws IOException {
    // The golden file includes recorded requests, so every metric there has samples.
    String exposition = Files.readString(Exposition.GOLDEN);

    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher row = TABLE_ROW.matcher(line);
      if (!row.find()) {
        continue;
      }
      String name = row.group(1);
      Matcher label = LABEL.matcher(row.group(3));
      while (label.find()) {
        assertThat(exposition)
            .as("README says %s has the label %s", name, label.group(1))
            .containsPattern("(?m)^" + name + "\\{([^}]*,)?" + label.group(1) + "=\"");
      }
    }
  }

  private static Map<String, String> documentedMetrics() throws IOException {
    Map<String, String> documented = new TreeMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher row = TABLE_ROW.matcher(line);
      if (row.find()) {
        documented.put(row.group(1), row.group(2));
      }
    }
    return documented;
  }
}
