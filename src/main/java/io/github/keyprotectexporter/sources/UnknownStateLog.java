package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.model.CryptoUnitState;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the raw value of every state that maps to {@link CryptoUnitState#UNKNOWN}, once per
 * instance, crypto unit and raw value, so that a new API state shows up in the log without
 * repeating on every poll. Thread-safe.
 */
public final class UnknownStateLog {

  /** Default number of (instance, unit, raw state) combinations remembered. */
  public static final int DEFAULT_MAX_ENTRIES = 1024;

  private static final Logger logger = LoggerFactory.getLogger(UnknownStateLog.class);

  private record Key(String instanceId, String unitId, String reportedState) {}

  private final SeenKeys<Key> logged;

  public UnknownStateLog() {
    this(DEFAULT_MAX_ENTRIES);
  }

  /**
   * Creates a log that remembers at most {@code maxEntries} combinations. Beyond that, the least
   * recently seen one is forgotten and may be logged again.
   */
  public UnknownStateLog(int maxEntries) {
    this.logged = new SeenKeys<>(maxEntries);
  }

  /** Logs, at WARN, each unit of {@code units} in an unknown state not logged before. */
  public void record(String instanceId, List<CryptoUnit> units) {
    for (CryptoUnit unit : units) {
      if (unit.state() != CryptoUnitState.UNKNOWN) {
        continue;
      }
      String reported = unit.reportedState() == null ? null : Excerpt.of(unit.reportedState());
      if (!logged.firstSeen(new Key(instanceId, unit.id(), reported))) {
        continue;
      }
      if (reported == null) {
        logger.warn(
            "instance_id={} crypto_unit_id={} reports no state; exported as state=\"unknown\"",
            instanceId,
            Excerpt.of(unit.id()));
      } else {
        logger.warn(
            "instance_id={} crypto_unit_id={} reports state \"{}\", which this agent does not know;"
                + " exported as state=\"unknown\"",
            instanceId,
            Excerpt.of(unit.id()),
            reported);
      }
    }
  }
}
