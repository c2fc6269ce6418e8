package io.github.keyprotectexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.ProbeSettings;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.sources.ProbeFailureReason;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The store and the counters switching to a reloaded instance list. */
class InstancesChangedTest {

  private static final String KEPT = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String REMOVED = "7f3e9b10-5c2d-4a8e-b1f0-0000000000c3";
  private static final String ADDED = "7f3e9b10-5c2d-4a8e-b1f0-0000000000d4";

  private static InstanceConfig instance(String id, boolean probed) {
    InstanceConfig instance =
        new InstanceConfig(id, "", "us-south", false, URI.create("http://127.0.0.1:1"));
    return probed
        ? instance.withProbe(
            new ProbeSettings(true, Duration.ofMinutes(1), URI.create("http://127.0.0.1:1")))
        : instance;
  }

  @Test
  void removedInstanceLosesEveryCounterSeries() {
    List<InstanceConfig> before = List.of(instance(KEPT, true), instance(REMOVED, true));
    SnapshotStore store = new SnapshotStore(before);
    ExporterMetrics metrics = ExporterMetrics.createWithoutJvmMetrics(store, before,
        SampleStore.CLOCK);
    metrics.pollFailed(REMOVED, PollErrorReason.TIMEOUT);
    metrics.probeFailed(REMOVED, ProbeFailureReason.NO_HEALTHY_UPSTREAM);
    metrics.requestCompleted(REMOVED, ApiRequestListener.LIST_CRYPTO_UNITS, "503");
    List<InstanceConfig> after = List.of(instance(KEPT, false), instance(ADDED, false));

    store.reconfigure(after);
    metrics.instancesChanged(after);
    String exposition = Exposition.text(metrics.registry());

    assertThat(exposition).doesNotContain(REMOVED);
    assertThat(exposition).contains(
        "keyprotect_poll_errors_total{instance_id=\"" + ADDED + "\",reason=\"timeout\"} 0.0");
    assertThat(exposition).contains("keyprotect_up{instance_id=\"" + ADDED + "\"} 0.0");
    // The kept instance no longer probes, so its probe failures go too.
    assertThat(exposition).doesNotContain(
        "keyprotect_kms_probe_failures_total{instance_id=\"" + KEPT);
    assertThat(store.all()).extracting(snapshot -> snapshot.instanceId())
        .containsExactly(KEPT, ADDED);
    assertThat(store.get(KEPT).instance().probe().enabled()).isFalse();
  }

  @Test
  void keptInstanceKeepsCounts() {
    List<InstanceConfig> instances = List.of(instance(KEPT, false));
    SnapshotStore store = new SnapshotStore(instances);
    ExporterMetrics metrics = ExporterMetrics.createWithoutJvmMetrics(store, instances,
        SampleStore.CLOCK);
    metrics.pollFailed(KEPT, PollErrorReason.TIMEOUT);

    metrics.instancesChanged(List.of(instance(KEPT, false), instance(ADDED, false)));

    assertThat(Exposition.text(metrics.registry())).contains(
        "keyprotect_poll_errors_total{instance_id=\"" + KEPT + "\",reason=\"timeout\"} 1.0");
  }
}
