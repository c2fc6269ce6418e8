package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import java.time.Instant;
import java.util.List;

/**
 * The status of one instance at one moment, as the status page and {@code /api/v1/instances} show
 * it. It contains only configured names and polled facts, never a credential or a token.
 *
 * @param instanceId the instance GUID
 * @param name the configured display name, possibly empty
 * @param region the configured region
 * @param polled whether at least one poll finished
 * @param up whether the latest poll succeeded
 * @param ready whether at least one current unit serves key operations and the key-operation probe
 *     does not fail with a 5xx status
 * @param servingUnits the number of current units that serve key operations
 * @param unitsCurrent whether {@code units} are recent enough to be exported as metrics
 * @param unitsPolledAt time of the last successful poll, null before the first one
 * @param unitsExpireAt time after which the units count as stale, null before the first success
 * @param lastPollDurationSeconds duration of the latest poll, null before the first one
 * @param lastErrorReason the {@code reason} label of the latest failure, null while up
 * @param lastErrorMessage a short description of the latest failure, null while up
 * @param units the units of the last successful poll, shown even when stale
 * @param keyProbe the key-operation probe, null when it is disabled
 */
record InstanceStatus(
    String instanceId,
    String name,
    String region,
    boolean polled,
    boolean up,
    boolean ready,
    int servingUnits,
    boolean unitsCurrent,
    Instant unitsPolledAt,
    Instant unitsExpireAt,
    Double lastPollDurationSeconds,
    String lastErrorReason,
    String lastErrorMessage,
    List<UnitStatus> units,
    ProbeStatus keyProbe) {

  /**
   * One crypto unit as of the last successful poll.
   *
   * @param id the unit id
   * @param state the state label, {@code unknown} for a state the agent does not recognise
   * @param stateSince when the agent first saw the unit in this state
   * @param serving whether the unit served key operations at the last successful poll
   */
  record UnitStatus(String id, String state, Instant stateSince, boolean serving) {

    static UnitStatus of(UnitSnapshot unit) {
      return new UnitStatus(unit.id(), unit.state().label(), unit.stateSince(), unit.serving());
    }
  }

  /**
   * The key-operation probe of an instance.
   *
   * @param endpoint the base URL of the key API that the probe calls
   * @param probed whether at least one probe ended
   * @param success whether the latest probe succeeded, null before the first one
   * @param probedAt when the latest probe ended, null before the first one
   * @param durationSeconds duration of the latest probe, null before the first one
   * @param failureReason the {@code reason} label of the latest failure, null unless it failed
   * @param failureMessage a short description of the latest failure, null unless it failed
   */
  record ProbeStatus(
      String endpoint,
      boolean probed,
      Boolean success,
      Instant probedAt,
      Double durationSeconds,
      String failureReason,
      String failureMessage) {

    static ProbeStatus of(InstanceSnapshot snapshot, ProbeSnapshot probe) {
      if (!snapshot.instance().probe().enabled()) {
        return null;
      }
      String endpoint = snapshot.instance().probe().endpoint().toString();
      if (probe == null) {
        return new ProbeStatus(endpoint, false, null, null, null, null, null);
      }
      String reason = probe.failure() == null ? null : probe.failure().label();
      return new ProbeStatus(endpoint, true, probe.success(), probe.probedAt(),
          probe.duration().toNanos() / 1e9, reason, probe.failureMessage());
    }
  }

  /** Reads the status of one instance from its snapshot and latest probe as seen at {@code now}. */
  static InstanceStatus of(InstanceSnapshot snapshot, ProbeSnapshot probe, Instant now) {
    Double duration =
        snapshot.lastPollDuration() == null ? null : snapshot.lastPollDuration().toNanos() / 1e9;
    String reason = snapshot.lastError() == null ? null : snapshot.lastError().label();
    return new InstanceStatus(
        snapshot.instanceId(),
        snapshot.instance().name(),
        snapshot.instance().region(),
        snapshot.polled(),
        snapshot.up(),
        ProbeSnapshot.ready(snapshot, probe, now),
        snapshot.servingUnits(now),
        snapshot.hasCurrentUnits(now),
        snapshot.unitsPolledAt(),
        snapshot.unitsExpireAt(),
        duration,
        reason,
        snapshot.lastErrorMessage(),
        snapshot.units().stream().map(UnitStatus::of).toList(),
        ProbeStatus.of(snapshot, probe));
  }

  /** Reads the status of every instance in the store's order. */
  static List<InstanceStatus> ofAll(SnapshotStore store, Instant now) {
    return store.all().stream()
        .map(snapshot -> of(snapshot, store.probe(snapshot.instanceId()), now))
        .toList();
  }
}
