package io.github.keyprotectexporter.simulator;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A scripted run of the simulator: the instances it serves and how their crypto units change over
 * time. Load one with {@link ScenarioLoader} or {@link BuiltInScenarios}.
 *
 * @param name a short name, used in logs
 * @param description what the scenario shows, empty when not given
 * @param loop whether each timeline starts over after its last step. When false, the last step
 *     lasts forever.
 * @param instances the simulated instances, at least one, with distinct ids
 */
public record Scenario(
    String name, String description, boolean loop, List<SimulatedInstance> instances) {

  public Scenario {
    Objects.requireNonNull(name, "name");
    description = description == null ? "" : description;
    instances = List.copyOf(instances);
    if (instances.isEmpty()) {
      throw new IllegalArgumentException("scenario " + name + " has no instances");
    }
    long distinctIds = instances.stream().map(SimulatedInstance::id).distinct().count();
    if (distinctIds < instances.size()) {
      throw new IllegalArgumentException("scenario " + name + " has duplicate instance ids");
    }
  }

  /** Finds the instance with the given id. */
  public Optional<SimulatedInstance> instance(String id) {
    return instances.stream().filter(instance -> instance.id().equals(id)).findFirst();
  }
}
