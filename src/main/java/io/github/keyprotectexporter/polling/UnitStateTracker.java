package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.sources.PrintableText;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Remembers, for the units of one instance, since when each has been in its current state, and
 * decides which units serve.
 *
 * <p>A unit serves once it has been {@code kms-initialized} for the warm-up time, because IBM
 * documents that operations may still fail for a few minutes after a unit reaches that state. The
 * agent cannot know how long units that were already {@code kms-initialized} at its first
 * successful poll have been so, and treats them as warm rather than reporting a fleet-wide outage at
 * start-up.
 * Unit ids are escaped in log lines, because a source other than the API parser may not reject ids
 * with control characters. Not thread-safe: the poller never polls one instance twice at once.
 */
final class UnitStateTracker {

  private static final Logger logger = LoggerFactory.getLogger(UnitStateTracker.class);

  private record TrackedState(CryptoUnitState state, Instant since, boolean warmAtStart) {}

  private final String instanceId;
  private final Duration warmUp;
  private final Map<String, TrackedState> tracked = new HashMap<>();
  private boolean seenFirstSuccess;

  UnitStateTracker(String instanceId, Duration warmUp) {
    this.instanceId = instanceId;
    this.warmUp = warmUp;
  }

  /**
   * Takes over the units, their states and since-times, and the warm-up status of the tracker
   * that this one replaces after a config reload. The warm-up time stays this tracker's own.
   */
  void continueFrom(UnitStateTracker previous) {
    tracked.clear();
    tracked.putAll(previous.tracked);
    seenFirstSuccess = previous.seenFirstSuccess;
  }

  /** Records the units of a successful poll made at {@code now} and returns their snapshots. */
  List<UnitSnapshot> update(List<CryptoUnit> units, Instant now) {
    boolean firstSuccess = !seenFirstSuccess;
    seenFirstSuccess = true;
    Map<String, TrackedState> previous = new HashMap<>(tracked);
    tracked.clear();
    List<UnitSnapshot> snapshots = new ArrayList<>(units.size());
    for (CryptoUnit unit : units) {
      TrackedState state = advance(unit, previous.remove(unit.id()), firstSuccess, now);
      tracked.put(unit.id(), state);
      snapshots.add(
          new UnitSnapshot(
              unit.id(),
              state.state(),
              state.since(),
              serving(state, now),
              unit.masterKeyCheckValueHash(),
              unit.location()));
    }
    for (Map.Entry<String, TrackedState> gone : previous.entrySet()) {
      logger.info(
          "Crypto unit disappeared instance_id={} crypto_unit_id={} last_state={}",
          instanceId,
          PrintableText.escape(gone.getKey()),
          gone.getValue().state().label());
    }
    return snapshots;
  }

  private TrackedState advance(
      CryptoUnit unit, TrackedState before, boolean firstSuccess, Instant now) {
    if (before == null) {
      if (!firstSuccess) {
        logger.info(
            "Crypto unit appeared instance_id={} crypto_unit_id={} state={}",
            instanceId,
            PrintableText.escape(unit.id()),
            unit.state().label());
      }
      return new TrackedState(unit.state(), now, firstSuccess && unit.state().isServing());
    }
    if (before.state() == unit.state()) {
      return before;
    }
    logger.info(
        "Crypto unit changed state instance_id={} crypto_unit_id={} from={} to={}",
        instanceId,
        PrintableText.escape(unit.id()),
        before.state().label(),
        unit.state().label());
    return new TrackedState(unit.state(), now, false);
  }

  private boolean serving(TrackedState state, Instant now) {
    if (!state.state().isServing()) {
      return false;
    }
    return state.warmAtStart() || !state.since().plus(warmUp).isAfter(now);
  }
}
