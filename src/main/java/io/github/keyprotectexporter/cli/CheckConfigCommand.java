package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigDescriber;
import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.ExporterConfig;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Validates a config file without starting anything. */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description = "Validate the config file: exit 0, or print every error and exit 2.")
final class CheckConfigCommand implements Callable<Integer> {

  @Mixin ConfigFileOption config;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    try {
      ExporterConfig loaded = config.load();
      spec.commandLine().getOut().printf("Config file %s is valid: %s%n", config.file,
          ConfigDescriber.describe(loaded));
      spec.commandLine().getOut().flush();
      return ExitCodes.OK;
    } catch (ConfigException e) {
      return StartupFailure.report(spec.commandLine().getErr(), "Invalid config file " + config.file, e);
    }
  }
}
