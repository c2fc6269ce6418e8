package io.github.keyprotectexporter.metrics;

import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SortedSet;

/**
 * Exports the master-key check values that adapter and command sources report, as hashes. Both
 * families exist only for instances whose current units report at least one check value, so an
 * instance read from the Key Protect API, which has no check values, exports neither.
 *
 * <pre>{@code
 * registry.register(new MasterKeyCollector(store, Clock.systemUTC()));
 * }</pre>
 */
public final class MasterKeyCollector implements MultiCollector {

  public static final String CHECK_VALUES = "keyprotect_instance_master_key_check_values";
  public static final String MASTER_KEY_INFO = "keyprotect_crypto_unit_master_key_info";

  private static final List<String> NAMES = List.of(CHECK_VALUES, MASTER_KEY_INFO);

  private final SnapshotStore store;
  private final Clock clock;

  public MasterKeyCollector(SnapshotStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public MetricSnapshots collect() {
    Instant now = clock.instant();
    List<InstanceSnapshot> snapshots = store.all();
    return MetricSnapshots.of(checkValues(snapshots, now), masterKeyInfo(snapshots, now));
  }

  @Override
  public List<String> getPrometheusNames() {
    return NAMES;
  }

  @Override
  public MetricType getMetricType(String prometheusName) {
    return NAMES.contains(prometheusName) ? MetricType.GAUGE : null;
  }

  private static GaugeSnapshot checkValues(List<InstanceSnapshot> snapshots, Instant now) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(CHECK_VALUES)
            .help(
                "Number of distinct master-key check values among the crypto units of the"
                    + " instance that report one. More than 1 means the units hold different"
                    + " master keys.");
    for (InstanceSnapshot snapshot : snapshots) {
      SortedSet<String> hashes = snapshot.masterKeyCheckValueHashes(now);
      if (!hashes.isEmpty()) {
        family.dataPoint(GaugePoints.of(hashes.size(), "instance_id", snapshot.instanceId()));
      }
    }
    return family.build();
  }

  private static GaugeSnapshot masterKeyInfo(List<InstanceSnapshot> snapshots, Instant now) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(MASTER_KEY_INFO)
            .help(
                "Hash of the master-key check value that the crypto unit reports (the first 8"
                    + " hex digits of its SHA-256), with the constant value 1.");
    for (InstanceSnapshot snapshot : snapshots) {
      if (!snapshot.hasCurrentUnits(now)) {
        continue;
      }
      Set<String> seen = new HashSet<>();
      for (UnitSnapshot unit : snapshot.units()) {
        // A repeated label set would make the whole scrape fail, so the first unit of an id wins.
        if (unit.masterKeyCheckValueHash() != null && seen.add(unit.id())) {
          family.dataPoint(
              GaugePoints.of(
                  1,
                  "instance_id", snapshot.instanceId(),
                  "crypto_unit_id", unit.id(),
                  "check_value_hash", unit.masterKeyCheckValueHash()));
        }
      }
    }
    return family.build();
  }
}
