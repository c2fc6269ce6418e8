package io.github.keyprotectexporter.model;

import java.util.Objects;

/**
 * One crypto unit as a source read it.
 *
 * @param id the unit id, never blank
 * @param state the normalised state
 * @param reportedState the state exactly as the source reported it (may be null), kept so that an
 *     {@link CryptoUnitState#UNKNOWN} state can be logged with its raw value
 */
public record CryptoUnit(String id, CryptoUnitState state, String reportedState) {

  public CryptoUnit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
  }

  /** Creates a unit from a reported state string, normalising it. */
  public static CryptoUnit of(String id, String reportedState) {
    return new CryptoUnit(id, CryptoUnitState.fromReported(reportedState), reportedState);
  }
}
