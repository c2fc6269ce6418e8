package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.model.CryptoUnitState;
import java.time.Instant;

/**
 * One crypto unit as of the last successful poll.
 *
 * @param id the unit id
 * @param state the normalised state
 * @param stateSince when the agent first saw the unit in this state
 * @param serving whether the unit is {@code kms-initialized} and past its warm-up
 * @param masterKeyCheckValueHash the hash of the unit's master-key check value, or null when the
 *     source reports none. The raw value is not kept, so no page or metric can republish it.
 * @param location where the unit is, as the source describes it, or null
 */
public record UnitSnapshot(
    String id,
    CryptoUnitState state,
    Instant stateSince,
    boolean serving,
    String masterKeyCheckValueHash,
    String location) {

  /** Creates a snapshot of a unit whose source reports no check value and no location. */
  public UnitSnapshot(String id, CryptoUnitState state, Instant stateSince, boolean serving) {
    this(id, state, stateSince, serving, null, null);
  }
}
