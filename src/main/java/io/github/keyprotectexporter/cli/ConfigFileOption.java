package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.ConfigLoader;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.ConfigFile;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config.file} option shared by the commands that read a config. */
final class ConfigFileOption {

  @Option(
      names = "--config.file",
      defaultValue = Main.DEFAULT_CONFIG_FILE,
      paramLabel = "FILE",
      description = "YAML config file (default: ${DEFAULT-VALUE}).")
  Path file;

  ExporterConfig load() throws ConfigException {
    return new ConfigLoader().load(file);
  }

  /** Loads the file together with its {@code shard} key. */
  ConfigFile loadWithShard() throws ConfigException {
    return new ConfigLoader().loadWithShard(file);
  }
}
