package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ApiKeyLoader;
import io.github.keyprotectexporter.config.ConfigDescriber;
import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.config.WebConfigLoader;
import io.github.keyprotectexporter.http.WebSecurity;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.CryptoUnitSources;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Validates a config file without starting anything. When an instance needs the API key, it also
 * checks that the key can be read, so that run does not fail on what check-config passed.
 */
@Command(
    name = "check-config",
    mixinStandardHelpOptions = true,
    description = {
      "Validate the config file, its API key, its sources and an optional web config without"
          + " starting anything.",
      "Exits 0, or prints every error and exits 2. The key itself is never printed."
    })
final class CheckConfigCommand implements Callable<Integer> {

  @Mixin ConfigFileOption config;

  @Option(
      names = "--web.config.file",
      defaultValue = "${env:" + WebConfigOptions.FILE_ENV + "}",
      paramLabel = "FILE",
      description = "Also validate this web config file and read its TLS files"
          + " (default: $" + WebConfigOptions.FILE_ENV + ", else none).")
  Path webConfigFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ExporterConfig loaded;
    try {
      loaded = config.load();
    } catch (ConfigException e) {
      return StartupFailure.report(
          spec.commandLine().getErr(), "Invalid config file " + config.file, e);
    }
    Secret apiKey = null;
    if (CryptoUnitSources.needsApiKey(loaded)) {
      try {
        apiKey = new ApiKeyLoader().load(loaded.iam());
      } catch (ConfigException e) {
        return StartupFailure.report(spec.commandLine().getErr(),
            "Config file " + config.file + " is valid, but its API key cannot be read", e);
      }
    }
    // Creating the sources sends no request, but finds what only the environment can break, such
    // as a command variable that is not set.
    try {
      CryptoUnitSources.create(loaded, apiKey, ApiRequestListener.NONE, Clock.systemUTC(),
          System.getenv()).close();
    } catch (IllegalArgumentException e) {
      return StartupFailure.report(spec.commandLine().getErr(),
          "Config file " + config.file + " is valid, but its sources cannot be created: "
              + e.getMessage());
    }
    if (webConfigFile != null) {
      try {
        WebSecurity.load(new WebConfigLoader().load(webConfigFile), false, Clock.systemUTC());
      } catch (ConfigException e) {
        return StartupFailure.report(
            spec.commandLine().getErr(), "Invalid web config file " + webConfigFile, e);
      }
      spec.commandLine().getOut().printf("Web config file %s is valid%n", webConfigFile);
    }
    spec.commandLine().getOut().printf("Config file %s is valid: %s%n", config.file,
        ConfigDescriber.describe(loaded));
    spec.commandLine().getOut().flush();
    return ExitCodes.OK;
  }
}
