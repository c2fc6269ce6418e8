package io.github.keyprotectexporter.simulator;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One Dedicated Key Protect instance that the simulator serves.
 *
 * @param id the instance GUID, matched against the {@code Bluemix-Instance} request header
 * @param name a display name, empty when not given
 * @param region the IBM Cloud region the instance claims to live in, for example {@code us-south}
 * @param responseShape how the crypto-units response wraps the list of units
 * @param timeline the steps the instance walks through, at least one
 */
public record SimulatedInstance(
    String id,
    String name,
    String region,
    ResponseShape responseShape,
    List<TimelineStep> timeline) {

  public SimulatedInstance {
    Objects.requireNonNull(id, "id");
    name = name == null ? "" : name;
    Objects.requireNonNull(region, "region");
    responseShape = responseShape == null ? ResponseShape.ARRAY : responseShape;
    timeline = List.copyOf(timeline);
    if (timeline.isEmpty()) {
      throw new IllegalArgumentException("instance " + id + " has an empty timeline");
    }
  }

  /**
   * Returns the index of the step that is current after {@code elapsed} time.
   *
   * @param loop whether the timeline starts over after its last step. When false, the last step
   *     stays current forever and its duration is ignored.
   */
  public int stepIndexAt(Duration elapsed, boolean loop) {
    Duration position = elapsed.isNegative() ? Duration.ZERO : elapsed;
    if (loop) {
      long cycleNanos = cycleLength().toNanos();
      position = Duration.ofNanos(position.toNanos() % cycleNanos);
    }
    Duration stepEnd = Duration.ZERO;
    for (int i = 0; i < timeline.size() - 1; i++) {
      stepEnd = stepEnd.plus(timeline.get(i).duration());
      if (position.compareTo(stepEnd) < 0) {
        return i;
      }
    }
    return timeline.size() - 1;
  }

  /** Returns the sum of all step durations, the length of one pass through the timeline. */
  public Duration cycleLength() {
    return timeline.stream().map(TimelineStep::duration).reduce(Duration.ZERO, Duration::plus);
  }
}
