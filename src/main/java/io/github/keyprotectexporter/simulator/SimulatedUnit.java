package io.github.keyprotectexporter.simulator;

import java.util.Objects;

/**
 * A crypto unit as the simulated API lists it.
 *
 * @param id the unit id, normally a GUID
 * @param state the state sent verbatim, so that unknown or oddly cased states can be simulated;
 *     null sends a JSON null
 * @param masterKeyCheckValue the check value of the unit's master key, written only into adapter
 *     files (the Key Protect API has none), or null
 */
public record SimulatedUnit(String id, String state, String masterKeyCheckValue) {

  public SimulatedUnit {
    Objects.requireNonNull(id, "id");
  }

  /** Creates a unit without a master-key check value. */
  public SimulatedUnit(String id, String state) {
    this(id, state, null);
  }
}
