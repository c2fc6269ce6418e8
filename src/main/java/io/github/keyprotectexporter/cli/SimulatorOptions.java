package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.simulator.BuiltInScenarios;
import io.github.keyprotectexporter.simulator.Scenario;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The {@code --scenario} option shared by {@code simulate} and {@code demo}. */
final class SimulatorOptions {

  @Option(
      names = "--scenario",
      defaultValue = BuiltInScenarios.DEMO,
      paramLabel = "NAME|FILE",
      converter = ScenarioConverter.class,
      description = {
        "Built-in scenario name or path of a scenario YAML file (default: ${DEFAULT-VALUE}).",
        "Built-in: healthy, single-point-of-failure, maintenance, initializing, api-outage,",
        "master-key-mismatch, master-key-check-values, demo, faults."
      })
  Scenario scenario;

  /** Loads a scenario, reporting every problem of an invalid one as a command-line error. */
  static final class ScenarioConverter implements ITypeConverter<Scenario> {

    @Override
    public Scenario convert(String nameOrPath) {
      try {
        return BuiltInScenarios.loadByNameOrPath(nameOrPath);
      } catch (IllegalArgumentException e) {
        // ScenarioException is an IllegalArgumentException whose message lists every problem.
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
