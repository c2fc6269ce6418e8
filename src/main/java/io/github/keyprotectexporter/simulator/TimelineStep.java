package io.github.keyprotectexporter.simulator;

import java.time.Duration;
import java.util.List;

/**
 * One period of an instance's timeline.
 *
 * @param duration how long the step lasts, always positive
 * @param description what happens during the step, logged when the step starts, or empty
 * @param units the crypto units the API lists during the step, possibly empty
 * @param fault a failure that replaces or delays the crypto-units response, or null for none
 * @param keyApiFault a failure that replaces or delays the key API response, or null for none
 */
public record TimelineStep(
    Duration duration,
    String description,
    List<SimulatedUnit> units,
    Fault fault,
    Fault keyApiFault) {

  public TimelineStep {
    if (duration.isNegative() || duration.isZero()) {
      throw new IllegalArgumentException("step duration " + duration + " is not positive");
    }
    description = description == null ? "" : description;
    units = List.copyOf(units);
  }

  /** Creates a step whose key API works. */
  public TimelineStep(
      Duration duration, String description, List<SimulatedUnit> units, Fault fault) {
    this(duration, description, units, fault, null);
  }
}
