package io.github.keyprotectexporter.metrics;

import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Exports the latest key-operation probe of every instance whose probe is enabled. A scrape reads
 * only the store and never calls the key API.
 *
 * <pre>{@code
 * registry.register(new ProbeCollector(store));
 * }</pre>
 *
 * <p>An instance has no probe series until its first probe has ended, so that a probe that has not
 * run yet is not reported as failed.
 */
public final class ProbeCollector implements MultiCollector {

  public static final String PROBE_SUCCESS = "keyprotect_kms_probe_success";
  public static final String PROBE_DURATION = "keyprotect_kms_probe_duration_seconds";

  private static final List<String> NAMES = List.of(PROBE_SUCCESS, PROBE_DURATION);

  private final SnapshotStore store;

  public ProbeCollector(SnapshotStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public MetricSnapshots collect() {
    return collect(name -> true);
  }

  /** Builds only the families whose names {@code includedNames} accepts. */
  @Override
  public MetricSnapshots collect(Predicate<String> includedNames) {
    List<ProbeSnapshot> probes = new ArrayList<>();
    for (InstanceSnapshot snapshot : store.all()) {
      ProbeSnapshot probe = store.probe(snapshot.instanceId());
      if (snapshot.instance().probe().enabled() && probe != null) {
        probes.add(probe);
      }
    }
    List<MetricSnapshot> families = new ArrayList<>(2);
    if (includedNames.test(PROBE_SUCCESS)) {
      families.add(success(probes));
    }
    if (includedNames.test(PROBE_DURATION)) {
      families.add(duration(probes));
    }
    return new MetricSnapshots(families);
  }

  @Override
  public List<String> getPrometheusNames() {
    return NAMES;
  }

  @Override
  public MetricType getMetricType(String prometheusName) {
    return NAMES.contains(prometheusName) ? MetricType.GAUGE : null;
  }

  private static GaugeSnapshot success(List<ProbeSnapshot> probes) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(PROBE_SUCCESS)
            .help(
                "Whether the last key-operation probe of the instance (HEAD /api/v2/keys)"
                    + " succeeded (1) or failed (0).");
    for (ProbeSnapshot probe : probes) {
      family.dataPoint(GaugePoints.of(probe.success() ? 1 : 0, "instance_id", probe.instanceId()));
    }
    return family.build();
  }

  private static GaugeSnapshot duration(List<ProbeSnapshot> probes) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(PROBE_DURATION)
            .unit(Unit.SECONDS)
            .help(
                "Duration of the last key-operation probe of the instance, successful or not,"
                    + " token requests included, in seconds.");
    for (ProbeSnapshot probe : probes) {
      double seconds = probe.duration().toNanos() / 1e9;
      family.dataPoint(GaugePoints.of(seconds, "instance_id", probe.instanceId()));
    }
    return family.build();
  }
}
