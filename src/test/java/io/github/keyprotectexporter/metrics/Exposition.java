package io.github.keyprotectexporter.metrics;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Renders a registry in the exposition formats and reads the golden file, for the tests. */
public final class Exposition {

  /**
   * The expected Prometheus text output of {@link SampleStore} with its recorded activity,
   * without JVM metrics. Regenerate it with {@code mvn -o test -Dtest=MetricsGoldenTest
   * -Dgolden.update=true}, then review the diff before committing.
   */
  public static final Path GOLDEN = Path.of("src/test/resources/metrics/sample-store.prom");

  private Exposition() {}

  public static String text(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  public static String openMetrics(PrometheusRegistry registry) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ExpositionFormats.init().getOpenMetricsTextFormatWriter().write(out, registry.scrape());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  public static String golden() {
    try {
      return Files.readString(GOLDEN, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "Failed to read the golden file " + GOLDEN.toAbsolutePath(), e);
    }
  }

  /** Builds the metrics of {@link SampleStore}, without JVM metrics, with its activity recorded. */
  public static ExporterMetrics sampleMetrics() {
    ExporterMetrics metrics =
        ExporterMetrics.createWithoutJvmMetrics(
            SampleStore.create(), SampleStore.instances(), SampleStore.CLOCK);
    SampleStore.recordActivity(metrics);
    return metrics;
  }
}
