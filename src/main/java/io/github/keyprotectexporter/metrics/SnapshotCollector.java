package io.github.keyprotectexporter.metrics;

import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import io.prometheus.metrics.model.registry.MetricType;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Exports the latest {@link InstanceSnapshot} of every instance as gauges. Each scrape reads the
 * store and the clock once and never calls a source.
 *
 * <pre>{@code
 * registry.register(new SnapshotCollector(store, Clock.systemUTC()));
 * }</pre>
 *
 * <p>Unit series ({@value #UNIT_STATE}, {@value #UNITS}, {@value #UNIT_STATE_SINCE}, {@value
 * #SERVING_UNITS}) exist only while the instance's units are current, so stale units vanish
 * instead of being reported as if they were fresh.
 */
public final class SnapshotCollector implements MultiCollector {

  public static final String UNIT_STATE = "keyprotect_crypto_unit_state";
  public static final String UNITS = "keyprotect_crypto_units";
  public static final String UNIT_STATE_SINCE =
      "keyprotect_crypto_unit_state_since_timestamp_seconds";
  public static final String SERVING_UNITS = "keyprotect_instance_serving_units";
  public static final String INSTANCE_READY = "keyprotect_instance_ready";
  public static final String INSTANCE_INFO = "keyprotect_instance_info";
  public static final String UP = "keyprotect_up";
  public static final String LAST_POLL_SUCCESS = "keyprotect_last_poll_success_timestamp_seconds";
  public static final String LAST_POLL_DURATION = "keyprotect_last_poll_duration_seconds";

  private static final List<String> NAMES =
      List.of(
          UNIT_STATE,
          UNITS,
          UNIT_STATE_SINCE,
          SERVING_UNITS,
          INSTANCE_READY,
          INSTANCE_INFO,
          UP,
          LAST_POLL_SUCCESS,
          LAST_POLL_DURATION);

  private final SnapshotStore store;
  private final Clock clock;

  public SnapshotCollector(SnapshotStore store, Clock clock) {
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public MetricSnapshots collect() {
    return collect(name -> true);
  }

  /**
   * Builds only the families whose names {@code includedNames} accepts, because a cached scrape
   * requests the per-poll families alone and the unit families hold most of the series.
   */
  @Override
  public MetricSnapshots collect(Predicate<String> includedNames) {
    Instant now = clock.instant();
    List<InstanceSnapshot> snapshots = store.all();
    List<MetricSnapshot> families = new ArrayList<>(NAMES.size());
    for (String name : NAMES) {
      if (includedNames.test(name)) {
        families.add(family(name, snapshots, now));
      }
    }
    return new MetricSnapshots(families);
  }

  private GaugeSnapshot family(String name, List<InstanceSnapshot> snapshots, Instant now) {
    return switch (name) {
      case UNIT_STATE -> unitState(snapshots, now);
      case UNITS -> units(snapshots, now);
      case UNIT_STATE_SINCE -> unitStateSince(snapshots, now);
      case SERVING_UNITS -> servingUnits(snapshots, now);
      case INSTANCE_READY -> instanceReady(snapshots, now);
      case INSTANCE_INFO -> instanceInfo(snapshots);
      case UP -> up(snapshots);
      case LAST_POLL_SUCCESS -> lastPollSuccess(snapshots);
      case LAST_POLL_DURATION -> lastPollDuration(snapshots);
      default -> throw new IllegalArgumentException("not a family of this collector: " + name);
    };
  }

  @Override
  public List<String> getPrometheusNames() {
    return NAMES;
  }

  @Override
  public MetricType getMetricType(String prometheusName) {
    return NAMES.contains(prometheusName) ? MetricType.GAUGE : null;
  }

  private static GaugeSnapshot unitState(List<InstanceSnapshot> snapshots, Instant now) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(UNIT_STATE)
            .help(
                "Whether the crypto unit is in the state named by the state label (1) or not (0)."
                    + " A state that the agent does not recognise is reported as unknown.");
    for (InstanceSnapshot snapshot : snapshots) {
      for (UnitSnapshot unit : currentUnits(snapshot, now)) {
        for (CryptoUnitState state : CryptoUnitState.values()) {
          double value = unit.state() == state ? 1 : 0;
          family.dataPoint(
              GaugePoints.of(
                  value,
                  "instance_id", snapshot.instanceId(),
                  "crypto_unit_id", unit.id(),
                  "state", state.label()));
        }
      }
    }
    return family.build();
  }

  private static GaugeSnapshot units(List<InstanceSnapshot> snapshots, Instant now) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(UNITS)
            .help("Number of crypto units of the instance in each state.");
    for (InstanceSnapshot snapshot : snapshots) {
      if (!snapshot.hasCurrentUnits(now)) {
        continue;
      }
      Map<CryptoUnitState, Integer> counts = new EnumMap<>(CryptoUnitState.class);
      for (UnitSnapshot unit : currentUnits(snapshot, now)) {
        counts.merge(unit.state(), 1, Integer::sum);
      }
      for (CryptoUnitState state : CryptoUnitState.values()) {
        family.dataPoint(
            GaugePoints.of(
                counts.getOrDefault(state, 0),
                "instance_id", snapshot.instanceId(),
                "state", state.label()));
      }
    }
    return family.build();
  }

  private static GaugeSnapshot unitStateSince(List<InstanceSnapshot> snapshots, Instant now) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(UNIT_STATE_SINCE)
            .unit(Unit.SECONDS)
            .help(
                "Time when the agent first saw the crypto unit in its current state,"
                    + " in seconds since the Unix epoch.");
    for (InstanceSnapshot snapshot : snapshots) {
      for (UnitSnapshot unit : currentUnits(snapshot, now)) {
        if (unit.stateSince() != null) {
          family.dataPoint(
              GaugePoints.of(
                  epochSeconds(unit.stateSince()),
                  "instance_id", snapshot.instanceId(),
                  "crypto_unit_id", unit.id()));
        }
      }
    }
    return family.build();
  }

  private static GaugeSnapshot servingUnits(List<InstanceSnapshot> snapshots, Instant now) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(SERVING_UNITS)
            .help(
                "Number of crypto units of the instance that serve key operations,"
                    + " which means kms-initialized and past the warm-up time.");
    for (InstanceSnapshot snapshot : snapshots) {
      if (snapshot.hasCurrentUnits(now)) {
        family.dataPoint(
            GaugePoints.of(snapshot.servingUnits(now), "instance_id", snapshot.instanceId()));
      }
    }
    return family.build();
  }

  private GaugeSnapshot instanceReady(List<InstanceSnapshot> snapshots, Instant now) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(INSTANCE_READY)
            .help(
                "Whether at least one crypto unit of the instance serves key operations (1)"
                    + " or none does (0). It is 0 before the first successful poll,"
                    + " while the last known units are stale, while the key-operation probe"
                    + " fails with a 5xx status, and while the units report more than one"
                    + " master-key check value.");
    for (InstanceSnapshot snapshot : snapshots) {
      ProbeSnapshot probe = store.probe(snapshot.instanceId());
      boolean ready = ProbeSnapshot.ready(snapshot, probe, now);
      family.dataPoint(GaugePoints.of(ready ? 1 : 0, "instance_id", snapshot.instanceId()));
    }
    return family.build();
  }

  private static GaugeSnapshot instanceInfo(List<InstanceSnapshot> snapshots) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(INSTANCE_INFO)
            .help("Configured name and region of the instance, with the constant value 1.");
    for (InstanceSnapshot snapshot : snapshots) {
      family.dataPoint(
          GaugePoints.of(
              1,
              "instance_id", snapshot.instanceId(),
              "name", snapshot.instance().name(),
              "region", snapshot.instance().region()));
    }
    return family.build();
  }

  private static GaugeSnapshot up(List<InstanceSnapshot> snapshots) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(UP)
            .help(
                "Whether the last poll of the instance succeeded (1)"
                    + " or failed or has not happened yet (0).");
    for (InstanceSnapshot snapshot : snapshots) {
      family.dataPoint(GaugePoints.of(snapshot.up() ? 1 : 0, "instance_id", snapshot.instanceId()));
    }
    return family.build();
  }

  private static GaugeSnapshot lastPollSuccess(List<InstanceSnapshot> snapshots) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(LAST_POLL_SUCCESS)
            .unit(Unit.SECONDS)
            .help(
                "Time of the last successful poll of the instance,"
                    + " in seconds since the Unix epoch.");
    for (InstanceSnapshot snapshot : snapshots) {
      if (snapshot.unitsPolledAt() != null) {
        double seconds = epochSeconds(snapshot.unitsPolledAt());
        family.dataPoint(GaugePoints.of(seconds, "instance_id", snapshot.instanceId()));
      }
    }
    return family.build();
  }

  private static GaugeSnapshot lastPollDuration(List<InstanceSnapshot> snapshots) {
    GaugeSnapshot.Builder family =
        GaugeSnapshot.builder()
            .name(LAST_POLL_DURATION)
            .unit(Unit.SECONDS)
            .help("Duration of the last poll of the instance, successful or not, in seconds.");
    for (InstanceSnapshot snapshot : snapshots) {
      if (snapshot.lastPollDuration() != null) {
        double seconds = snapshot.lastPollDuration().toNanos() / 1e9;
        family.dataPoint(GaugePoints.of(seconds, "instance_id", snapshot.instanceId()));
      }
    }
    return family.build();
  }

  /**
   * Returns the units to export at {@code now}: none once they are stale, and only the first unit
   * of each id, because a repeated label set would make the whole scrape fail.
   */
  private static List<UnitSnapshot> currentUnits(InstanceSnapshot snapshot, Instant now) {
    if (!snapshot.hasCurrentUnits(now)) {
      return List.of();
    }
    Set<String> seen = new HashSet<>();
    return snapshot.units().stream().filter(unit -> seen.add(unit.id())).toList();
  }

  private static double epochSeconds(Instant instant) {
    return instant.getEpochSecond() + instant.getNano() / 1e9;
  }
}
