package io.github.keyprotectexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.sources.ProbeFailureReason;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class ExporterMetricsChangesTest {

  private final SnapshotStore store = SampleStore.create();
  private final ExporterMetrics metrics =
      ExporterMetrics.createWithoutJvmMetrics(store, SampleStore.instances(), SampleStore.CLOCK);

  @Test
  void everyListenerCallChangesGeneration() {
    List<Consumer<ExporterMetrics>> updates =
        List.of(
            m -> m.pollFailed(SampleStore.FAILED, PollErrorReason.TIMEOUT),
            m -> m.probeFailed(SampleStore.HEALTHY, ProbeFailureReason.NO_HEALTHY_UPSTREAM),
            m -> m.requestCompleted(SampleStore.HEALTHY, ApiRequestListener.IAM_TOKEN, "200"));

    for (Consumer<ExporterMetrics> update : updates) {
      long before = metrics.generation();
      update.accept(metrics);
      assertThat(metrics.generation()).isGreaterThan(before);
    }
  }

  @Test
  void storeUpdatesChangeGeneration() {
    long before = metrics.generation();
    InstanceSnapshot snapshot = store.get(SampleStore.HEALTHY);
    store.put(snapshot);
    long afterPut = metrics.generation();
    store.putProbe(ProbeSnapshot.succeeded(SampleStore.HEALTHY, SampleStore.NOW, Duration.ZERO));

    assertThat(afterPut).isGreaterThan(before);
    assertThat(metrics.generation()).isGreaterThan(afterPut);
  }

  @Test
  void generationStaysWithoutUpdates() {
    long before = metrics.generation();

    metrics.registry().scrape();
    store.all();

    assertThat(metrics.generation()).isEqualTo(before);
  }

  @Test
  void nextTimedChangeIsEarliestLaterExpiry() {
    Instant earliest =
        store.all().stream()
            .map(InstanceSnapshot::unitsExpireAt)
            .filter(expiry -> expiry != null && expiry.isAfter(SampleStore.NOW))
            .min(Instant::compareTo)
            .orElseThrow();

    assertThat(metrics.nextTimedChange(SampleStore.NOW)).isEqualTo(earliest);
    assertThat(metrics.nextTimedChange(earliest)).isAfter(earliest);
    assertThat(metrics.nextTimedChange(SampleStore.NOW.plus(Duration.ofDays(1)))).isNull();
  }

  @Test
  void tracksEveryFamilyOfTheAgent() {
    for (MetricSnapshot family : metrics.registry().scrape()) {
      assertThat(metrics.tracks(family.getMetadata().getPrometheusName()))
          .as(family.getMetadata().getPrometheusName())
          .isTrue();
    }
  }

  @Test
  void doesNotTrackJvmMetrics() {
    ExporterMetrics withJvm =
        ExporterMetrics.create(store, SampleStore.instances(), SampleStore.CLOCK);

    List<String> untracked =
        withJvm.registry().scrape().stream()
            .map(family -> family.getMetadata().getPrometheusName())
            .filter(name -> !withJvm.tracks(name))
            .toList();

    assertThat(untracked).isNotEmpty().allMatch(n -> n.startsWith("jvm_") || n.startsWith("process_"));
  }
}
