package io.github.keyprotectexporter.simulator;

import java.util.Objects;

/**
 * A crypto unit as the simulated API lists it.
 *
 * @param id the unit id, normally a GUID
 * @param state the state sent verbatim, so that unknown or oddly cased states can be simulated;
 *     null sends a JSON null
 */
public record SimulatedUnit(String id, String state) {

  public SimulatedUnit {
    Objects.requireNonNull(id, "id");
  }
}
