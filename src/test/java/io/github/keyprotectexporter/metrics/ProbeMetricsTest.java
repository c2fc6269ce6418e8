package io.github.keyprotectexporter.metrics;

import static io.github.keyprotectexporter.metrics.SampleStore.HEALTHY;
import static io.github.keyprotectexporter.metrics.SampleStore.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.ProbeFailureReason;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The key-operation probe metrics and the probe's part in {@code keyprotect_instance_ready}. */
class ProbeMetricsTest {

  private static final InstanceConfig PROBED =
      SampleStore.probed(SampleStore.instance(HEALTHY, "payments-prod", "us-south"));
  private static final String LABELS = "{instance_id=\"" + HEALTHY + "\"}";

  /** Returns a store whose only instance has two serving units and the given probe. */
  private static SnapshotStore store(InstanceConfig instance, ProbeSnapshot probe) {
    SnapshotStore store = new SnapshotStore(List.of(instance));
    InstanceSnapshot units =
        SampleStore.success(
            instance,
            Duration.ofSeconds(5),
            Duration.ofMillis(50),
            List.of(
                SampleStore.unit("u1", CryptoUnitState.KMS_INITIALIZED, "2026-01-01T00:00:00Z"),
                SampleStore.unit("u2", CryptoUnitState.KMS_INITIALIZED, "2026-01-01T00:00:00Z")));
    store.put(units);
    if (probe != null) {
      store.putProbe(probe);
    }
    return store;
  }

  private static ProbeSnapshot failedProbe(ProbeFailureReason reason) {
    return new ProbeSnapshot(HEALTHY, NOW, Duration.ofMillis(250), reason, "HEAD failed");
  }

  private static String scrape(SnapshotStore store, InstanceConfig instance) {
    ExporterMetrics metrics =
        ExporterMetrics.createWithoutJvmMetrics(store, List.of(instance), SampleStore.CLOCK);
    return Exposition.text(metrics.registry());
  }

  private static String scrape(SnapshotStore store) {
    return scrape(store, PROBED);
  }

  @Nested
  class ProbeSeries {

    @Test
    void successfulProbeExportsOneAndDuration() {
      ProbeSnapshot probe = ProbeSnapshot.succeeded(HEALTHY, NOW, Duration.ofMillis(80));

      String text = scrape(store(PROBED, probe));

      assertThat(text).contains(ProbeCollector.PROBE_SUCCESS + LABELS + " 1.0");
      assertThat(text).contains(ProbeCollector.PROBE_DURATION + LABELS + " 0.08");
    }

    @Test
    void failedProbeExportsZero() {
      String text = scrape(store(PROBED, failedProbe(ProbeFailureReason.TIMEOUT)));

      assertThat(text).contains(ProbeCollector.PROBE_SUCCESS + LABELS + " 0.0");
      assertThat(text).contains(ProbeCollector.PROBE_DURATION + LABELS + " 0.25");
    }

    @Test
    void probeNotRunYetHasNoSeries() {
      String text = scrape(store(PROBED, null));

      assertThat(text).doesNotContain(ProbeCollector.PROBE_SUCCESS + "{");
      assertThat(text).doesNotContain(ProbeCollector.PROBE_DURATION + "{");
    }

    @Test
    void failuresStartAtZeroForEveryReason() {
      String text = scrape(store(PROBED, null));

      for (ProbeFailureReason reason : ProbeFailureReason.values()) {
        assertThat(text)
            .contains(
                ExporterMetrics.PROBE_FAILURES + "{instance_id=\"" + HEALTHY + "\",reason=\""
                    + reason.label() + "\"} 0.0");
      }
    }

    @Test
    void probeFailedIncrementsItsReason() {
      SnapshotStore store = store(PROBED, null);
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(store, List.of(PROBED), SampleStore.CLOCK);

      metrics.probeFailed(HEALTHY, ProbeFailureReason.NO_HEALTHY_UPSTREAM);
      metrics.probeFailed(HEALTHY, ProbeFailureReason.NO_HEALTHY_UPSTREAM);

      assertThat(Exposition.text(metrics.registry()))
          .contains(
              ExporterMetrics.PROBE_FAILURES + "{instance_id=\"" + HEALTHY
                  + "\",reason=\"no_healthy_upstream\"} 2.0");
    }

    @Test
    void disabledProbeHasNoSeries() {
      InstanceConfig unprobed = SampleStore.instance(HEALTHY, "payments-prod", "us-south");

      String text = scrape(store(unprobed, null), unprobed);

      assertThat(text).doesNotContain(ExporterMetrics.PROBE_FAILURES + "{");
      assertThat(text).doesNotContain(ProbeCollector.PROBE_SUCCESS + "{");
    }
  }

  @Nested
  class ReadyRule {

    private static final String READY = SnapshotCollector.INSTANCE_READY + LABELS;

    @Test
    void serverErrorsMakeServingInstanceNotReady() {
      for (ProbeFailureReason reason : List.of(
          ProbeFailureReason.NO_HEALTHY_UPSTREAM,
          ProbeFailureReason.UNAVAILABLE,
          ProbeFailureReason.SERVER_ERROR)) {
        String text = scrape(store(PROBED, failedProbe(reason)));

        assertThat(text).as(reason.label()).contains(READY + " 0.0");
        assertThat(text)
            .as(reason.label())
            .contains(SnapshotCollector.SERVING_UNITS + LABELS + " 2.0");
      }
    }

    @Test
    void otherFailuresKeepInstanceReady() {
      for (ProbeFailureReason reason : List.of(
          ProbeFailureReason.AUTH,
          ProbeFailureReason.TIMEOUT,
          ProbeFailureReason.NETWORK,
          ProbeFailureReason.OTHER)) {
        String text = scrape(store(PROBED, failedProbe(reason)));

        assertThat(text).as(reason.label()).contains(READY + " 1.0");
      }
    }

    @Test
    void successfulProbeKeepsInstanceReady() {
      String text = scrape(store(PROBED, ProbeSnapshot.succeeded(HEALTHY, NOW, Duration.ZERO)));

      assertThat(text).contains(READY + " 1.0");
    }
  }

  @Test
  void declaredNamesMatchCollected() {
    ProbeCollector collector = new ProbeCollector(SampleStore.create());

    List<String> collected =
        collector.collect().stream().map(s -> s.getMetadata().getPrometheusName()).toList();

    assertThat(collector.getPrometheusNames()).containsExactlyInAnyOrderElementsOf(collected);
  }
}
