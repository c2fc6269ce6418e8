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
  void trackedListenerCallsChangeGeneration() {
    List<Consumer<ExporterMetrics>> updates =
        List.of(
            m -> m.pollFailed(SampleStore.FAILED, PollErrorReason.TIMEOUT),
            m -> m.pollSkipped(SampleStore.FAILED),
            m -> m.probeFailed(SampleStore.HEALTHY, ProbeFailureReason.NO_HEALTHY_UPSTREAM),
            m -> m.configReload().failed(),
            m -> m.instancesChanged(SampleStore.instances()));

    for (Consumer<ExporterMetrics> update : updates) {
      long before = metrics.generation();
      update.accept(metrics);
      assertThat(metrics.generation()).isGreaterThan(before);
    }
  }

  @Test
  void requestCountKeepsGeneration() {
    long before = metrics.generation();

    metrics.requestCompleted(SampleStore.HEALTHY, ApiRequestListener.IAM_TOKEN, "200");

    assertThat(metrics.generation()).isEqualTo(before);
  }

  @Test
  void storeUpdatesChangeGeneration() {
    long before = metrics.generation();
    InstanceSnapshot healthy = store.get(SampleStore.HEALTHY);
    store.put(SampleStore.failure(healthy, Duration.ofSeconds(2), PollErrorReason.TIMEOUT, "t"));
    long afterPut = metrics.generation();
    store.putProbe(
        new ProbeSnapshot(SampleStore.HEALTHY, SampleStore.NOW, Duration.ZERO,
            ProbeFailureReason.NO_HEALTHY_UPSTREAM, "HTTP 503"));

    assertThat(afterPut).isGreaterThan(before);
    assertThat(metrics.generation()).isGreaterThan(afterPut);
  }

  @Test
  void repeatedPollAndProbeKeepGeneration() {
    InstanceSnapshot healthy = store.get(SampleStore.HEALTHY);
    long before = metrics.generation();

    store.put(
        new InstanceSnapshot(healthy.instance(), healthy.units(),
            healthy.unitsPolledAt().plusSeconds(30), healthy.unitsExpireAt().plusSeconds(30),
            true, true, healthy.lastPollDuration().plusMillis(7), null, null));
    store.putProbe(
        ProbeSnapshot.succeeded(SampleStore.HEALTHY, SampleStore.NOW, Duration.ofMillis(3)));

    assertThat(metrics.generation()).isEqualTo(before);
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
  void tracksAgentFamiliesExceptPerPollOnes() {
    for (MetricSnapshot family : metrics.registry().scrape()) {
      String name = family.getMetadata().getPrometheusName();
      assertThat(metrics.tracks(name))
          .as(name)
          .isEqualTo(!ExporterMetrics.PER_POLL_FAMILIES.contains(name));
    }
    assertThat(metrics.tracks(ExporterMetrics.API_REQUESTS)).isFalse();
  }

  @Test
  void leavesPerPollFamiliesUntracked() {
    List<String> untracked =
        metrics.registry().scrape().stream()
            .map(family -> family.getMetadata().getPrometheusName())
            .filter(name -> !metrics.tracks(name))
            .toList();

    assertThat(untracked)
        .containsExactlyInAnyOrder(
            "keyprotect_api_requests",
            ProbeCollector.PROBE_DURATION,
            SnapshotCollector.LAST_POLL_DURATION,
            SnapshotCollector.LAST_POLL_SUCCESS);
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

    assertThat(untracked)
        .isNotEmpty()
        .allMatch(
            name ->
                name.startsWith("jvm_")
                    || name.startsWith("process_")
                    || ExporterMetrics.PER_POLL_FAMILIES.contains(name));
  }
}
