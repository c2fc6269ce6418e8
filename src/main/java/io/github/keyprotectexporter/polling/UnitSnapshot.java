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
 */
public record UnitSnapshot(String id, CryptoUnitState state, Instant stateSince, boolean serving) {}
