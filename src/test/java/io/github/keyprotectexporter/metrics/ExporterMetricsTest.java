package io.github.keyprotectexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.PollErrorReason;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ExporterMetricsTest {

  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  @Nested
  class Counters {

    @Test
    void pollErrorsStartAtZeroForEveryReason() {
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(
              SampleStore.create(), SampleStore.instances(), SampleStore.CLOCK);

      String text = Exposition.text(metrics.registry());

      for (InstanceConfig instance : SampleStore.instances()) {
        for (PollErrorReason reason : PollErrorReason.values()) {
          assertThat(text)
              .contains(
                  ExporterMetrics.POLL_ERRORS + "{instance_id=\"" + instance.id()
                      + "\",reason=\"" + reason.label() + "\"} 0.0");
        }
      }
    }

    @Test
    void pollFailedIncrementsItsReason() {
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(
              SampleStore.create(), SampleStore.instances(), SampleStore.CLOCK);

      metrics.pollFailed(SampleStore.HEALTHY, PollErrorReason.RATE_LIMITED);
      metrics.pollFailed(SampleStore.HEALTHY, PollErrorReason.RATE_LIMITED);

      String text = Exposition.text(metrics.registry());
      assertThat(text)
          .contains(
              ExporterMetrics.POLL_ERRORS + "{instance_id=\"" + SampleStore.HEALTHY
                  + "\",reason=\"rate_limited\"} 2.0")
          .contains(
              ExporterMetrics.POLL_ERRORS + "{instance_id=\"" + SampleStore.HEALTHY
                  + "\",reason=\"auth\"} 0.0");
    }

    @Test
    void apiRequestsCountedByOperationAndCode() {
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(
              SampleStore.create(), SampleStore.instances(), SampleStore.CLOCK);

      metrics.requestCompleted(SampleStore.FAILED, ApiRequestListener.LIST_CRYPTO_UNITS, "503");
      metrics.requestCompleted(SampleStore.FAILED, ApiRequestListener.LIST_CRYPTO_UNITS, "503");
      metrics.requestCompleted(SampleStore.FAILED, ApiRequestListener.IAM_TOKEN, "none");

      String text = Exposition.text(metrics.registry());
      assertThat(text)
          .contains(
              ExporterMetrics.API_REQUESTS + "{code=\"503\",instance_id=\"" + SampleStore.FAILED
                  + "\",operation=\"list_crypto_units\"} 2.0")
          .contains(
              ExporterMetrics.API_REQUESTS + "{code=\"none\",instance_id=\"" + SampleStore.FAILED
                  + "\",operation=\"iam_token\"} 1.0");
    }
  }

  @Test
  void buildInfoUnknownOutsideJar() {
    ExporterMetrics metrics =
        ExporterMetrics.createWithoutJvmMetrics(
            SampleStore.create(), SampleStore.instances(), SampleStore.CLOCK);

    assertThat(Exposition.text(metrics.registry()))
        .contains(ExporterMetrics.BUILD_INFO + "{revision=\"unknown\",version=\"unknown\"} 1");
  }

  @Test
  void createAddsJvmAndProcessMetrics() {
    ExporterMetrics metrics =
        ExporterMetrics.create(SampleStore.create(), SampleStore.instances(), SampleStore.CLOCK);

    String text = Exposition.text(metrics.registry());

    assertThat(text).contains("\njvm_memory_used_bytes{");
    assertThat(text).contains("\nprocess_cpu_seconds_total ");
    assertThat(text).contains("\n" + SnapshotCollector.UP + "{");
  }

  @Test
  void registriesAreIndependent() {
    ExporterMetrics first =
        ExporterMetrics.create(SampleStore.create(), SampleStore.instances(), SampleStore.CLOCK);
    ExporterMetrics second =
        ExporterMetrics.create(SampleStore.create(), SampleStore.instances(), SampleStore.CLOCK);

    first.pollFailed(SampleStore.HEALTHY, PollErrorReason.AUTH);

    String line =
        ExporterMetrics.POLL_ERRORS + "{instance_id=\"" + SampleStore.HEALTHY
            + "\",reason=\"auth\"} ";
    assertThat(Exposition.text(first.registry())).contains(line + "1.0");
    assertThat(Exposition.text(second.registry())).contains(line + "0.0");
    assertThat(Exposition.text(second.registry())).contains("\njvm_memory_used_bytes{");
  }

  @Test
  void openMetricsFormIsValid() {
    String text = Exposition.openMetrics(Exposition.sampleMetrics().registry());

    assertThat(text).endsWith("# EOF\n");
    assertThat(text).contains("# TYPE keyprotect_poll_errors counter\n");
    assertThat(text).contains("\nkeyprotect_poll_errors_total{");
    assertThat(text).contains("# TYPE keyprotect_api_requests counter\n");
    assertThat(text).contains("\nkeyprotect_api_requests_total{");
    assertThat(text).contains("# UNIT keyprotect_last_poll_duration_seconds seconds\n");
    assertThat(text).doesNotContain("_created");
  }

  @Test
  void promtoolAcceptsTextFormat() throws IOException, InterruptedException {
    if (!Files.isExecutable(PROMTOOL)) {
      if ("true".equals(System.getenv("CI"))) {
        throw new AssertionError(
            PROMTOOL + " is missing. Install it with: apt-get update && "
                + "DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
                + "prometheus");
      }
      assumeTrue(false, "Skipped: " + PROMTOOL + " is not installed (apt-get install prometheus)");
    }
    String text = Exposition.text(Exposition.sampleMetrics().registry());

    Process process =
        new ProcessBuilder(PROMTOOL.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(text.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();

    assertThat(output).isEmpty();
    assertThat(process.exitValue()).as(output).isZero();
  }
}
