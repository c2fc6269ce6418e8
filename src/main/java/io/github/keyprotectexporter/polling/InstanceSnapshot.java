package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.sources.PollErrorReason;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The state of one instance as of its latest poll. Immutable, because every poll replaces the
 * whole snapshot, so a scrape always sees one consistent view.
 *
 * @param instance the configured instance
 * @param units units from the last successful poll, in the order the source returned them; empty
 *     before the first success
 * @param unitsPolledAt time of the poll that produced {@code units}, null before the first success
 * @param unitsExpireAt time after which {@code units} are too old to export, null before the first
 *     success
 * @param polled whether at least one poll finished, successful or not
 * @param up whether the latest poll succeeded
 * @param lastPollDuration duration of the latest poll, null before the first one
 * @param lastError reason of the latest failure, null while up
 * @param lastErrorMessage a short, secret-free description of the latest failure, null while up
 */
public record InstanceSnapshot(
    InstanceConfig instance,
    List<UnitSnapshot> units,
    Instant unitsPolledAt,
    Instant unitsExpireAt,
    boolean polled,
    boolean up,
    Duration lastPollDuration,
    PollErrorReason lastError,
    String lastErrorMessage) {

  public InstanceSnapshot {
    units = List.copyOf(units);
  }

  /** Returns the snapshot of an instance that has not been polled yet. */
  public static InstanceSnapshot notPolled(InstanceConfig instance) {
    return new InstanceSnapshot(instance, List.of(), null, null, false, false, null, null, null);
  }

  public String instanceId() {
    return instance.id();
  }

  /** Returns true when {@code units} may still be exported at {@code now}. */
  public boolean hasCurrentUnits(Instant now) {
    return unitsExpireAt != null && now.isBefore(unitsExpireAt);
  }

  /** Returns the number of serving units, or 0 when the units are missing or expired. */
  public int servingUnits(Instant now) {
    if (!hasCurrentUnits(now)) {
      return 0;
    }
    return (int) units.stream().filter(UnitSnapshot::serving).count();
  }

  /**
   * Returns true when at least one current unit serves key operations and the units do not report
   * different master-key check values, because units with different master keys make key
   * operations fail.
   */
  public boolean ready(Instant now) {
    return servingUnits(now) > 0 && !masterKeyMismatch(now);
  }

  /**
   * Returns the distinct master-key check value hashes of the current units, sorted. The set is
   * empty when the units are missing or expired, or when no unit reports a check value.
   */
  public SortedSet<String> masterKeyCheckValueHashes(Instant now) {
    SortedSet<String> hashes = new TreeSet<>();
    if (!hasCurrentUnits(now)) {
      return hashes;
    }
    for (UnitSnapshot unit : units) {
      if (unit.masterKeyCheckValueHash() != null) {
        hashes.add(unit.masterKeyCheckValueHash());
      }
    }
    return hashes;
  }

  /** Returns true when the current units report more than one master-key check value. */
  public boolean masterKeyMismatch(Instant now) {
    return masterKeyCheckValueHashes(now).size() > 1;
  }
}
