package io.github.keyprotectexporter.simulator;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the current timeline step of each instance on the scenario clock, and logs each instance's
 * entry into a new step.
 */
final class ScenarioPlayer {

  private static final Logger logger = LoggerFactory.getLogger(ScenarioPlayer.class);

  private final Scenario scenario;
  private final Clock clock;
  private final Map<String, Integer> announcedSteps = new ConcurrentHashMap<>();
  private volatile Instant startedAt;

  ScenarioPlayer(Scenario scenario, Clock clock) {
    this.scenario = scenario;
    this.clock = clock;
  }

  /** Starts the scenario clock at the clock's current instant. */
  void start() {
    startedAt = clock.instant();
    announceSteps();
  }

  /** Returns the scenario time since {@link #start()}, or zero before it. */
  Duration elapsed() {
    Instant start = startedAt;
    return start == null ? Duration.ZERO : Duration.between(start, clock.instant());
  }

  TimelineStep currentStep(SimulatedInstance instance) {
    int index = instance.stepIndexAt(elapsed(), scenario.loop());
    announce(instance, index);
    return instance.timeline().get(index);
  }

  /** Logs every instance that entered a new step since the last call. */
  void announceSteps() {
    Duration elapsed = elapsed();
    for (SimulatedInstance instance : scenario.instances()) {
      announce(instance, instance.stepIndexAt(elapsed, scenario.loop()));
    }
  }

  private void announce(SimulatedInstance instance, int index) {
    Integer previous = announcedSteps.put(instance.id(), index);
    if (previous == null || previous != index) {
      TimelineStep step = instance.timeline().get(index);
      logger.info(
          "Simulated instance {} ({}) entered step {}/{}: {}",
          instance.id(),
          instance.name(),
          index + 1,
          instance.timeline().size(),
          step.description());
    }
  }
}
