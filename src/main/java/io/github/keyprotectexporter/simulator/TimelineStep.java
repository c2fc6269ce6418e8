package io.github.keyprotectexporter.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One period of an instance's timeline.
 *
 * @param duration how long the step lasts, always positive
 * @param description what happens during the step, empty when not given; logged when the step
 *     starts
 * @param units the crypto units the API lists during the step, possibly empty
 * @param fault a failure that replaces or delays the normal response, or null for none
 */
public record TimelineStep(
    Duration duration, String description, List<SimulatedUnit> units, Fault fault) {

  public TimelineStep {
    Objects.requireNonNull(duration, "duration");
    description = description == null ? "" : description;
    units = List.copyOf(units);
  }

  /** Returns the step's fault, if it has one. */
  public Optional<Fault> optionalFault() {
    return Optional.ofNullable(fault);
  }
}
