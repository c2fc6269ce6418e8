package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.polling.InstanceSnapshot;
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
 * @param ready whether at least one current unit serves key operations
 * @param servingUnits the number of current units that serve key operations
 * @param unitsCurrent whether {@code units} are recent enough to be exported as metrics
 * @param unitsPolledAt time of the last successful poll, null before the first one
 * @param unitsExpireAt time after which the units count as stale, null before the first success
 * @param lastPollDurationSeconds duration of the latest poll, null before the first one
 * @param lastErrorReason the {@code reason} label of the latest failure, null while up
 * @param lastErrorMessage a short description of the latest failure, null while up
 * @param units the units of the last successful poll, shown even when stale
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
    List<UnitStatus> units) {

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

  /** Reads the status of one instance from its snapshot as seen at {@code now}. */
  static InstanceStatus of(InstanceSnapshot snapshot, Instant now) {
    Double duration =
        snapshot.lastPollDuration() == null ? null : snapshot.lastPollDuration().toNanos() / 1e9;
    String reason = snapshot.lastError() == null ? null : snapshot.lastError().label();
    return new InstanceStatus(
        snapshot.instanceId(),
        snapshot.instance().name(),
        snapshot.instance().region(),
        snapshot.polled(),
        snapshot.up(),
        snapshot.ready(now),
        snapshot.servingUnits(now),
        snapshot.hasCurrentUnits(now),
        snapshot.unitsPolledAt(),
        snapshot.unitsExpireAt(),
        duration,
        reason,
        snapshot.lastErrorMessage(),
        snapshot.units().stream().map(UnitStatus::of).toList());
  }

  /** Reads the status of every instance in the store's order. */
  static List<InstanceStatus> ofAll(List<InstanceSnapshot> snapshots, Instant now) {
    return snapshots.stream().map(snapshot -> of(snapshot, now)).toList();
  }
}
