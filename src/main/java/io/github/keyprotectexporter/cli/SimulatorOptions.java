package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.simulator.BuiltInScenarios;
import io.github.keyprotectexporter.simulator.Scenario;
import picocli.CommandLine.Option;

/** The {@code --scenario} option shared by {@code simulate} and {@code demo}. */
final class SimulatorOptions {

  @Option(
      names = "--scenario",
      defaultValue = BuiltInScenarios.DEMO,
      paramLabel = "NAME|FILE",
      description = {
        "Built-in scenario name or path of a scenario YAML file (default: ${DEFAULT-VALUE}).",
        "Built-in: healthy, single-point-of-failure, maintenance, initializing, api-outage,",
        "master-key-mismatch, demo."
      })
  String scenario;

  Scenario load() {
    return BuiltInScenarios.loadByNameOrPath(scenario);
  }
}
