package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ApiKeyLoader;
import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.ConfigLoader;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.config.Shard;
import io.github.keyprotectexporter.sources.CryptoUnitSources;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A validated config and the API key it names, read together at start-up and on each reload.
 *
 * @param apiKey the API key, null when no instance reads the Key Protect API or probes its key API
 */
record LoadedConfig(ExporterConfig config, Secret apiKey) {

  LoadedConfig {
    Objects.requireNonNull(config, "config");
  }

  /** Reads the config file and then the API key, when an instance needs one. */
  static LoadedConfig read(Path file) throws ConfigException {
    return read(file, Shard.ALL);
  }

  /**
   * Reads the config file, keeps the instances that {@code shard} owns, and then reads the API
   * key when one of them needs it. The file's own {@code shard} key is not read here, because the
   * shard is chosen once at start.
   */
  static LoadedConfig read(Path file, Shard shard) throws ConfigException {
    return of(ShardOption.apply(shard, new ConfigLoader().load(file)));
  }

  /** Reads the API key that {@code config} needs, if any. */
  static LoadedConfig of(ExporterConfig config) throws ConfigException {
    // Instances read only from files or commands need no API key.
    Secret apiKey = CryptoUnitSources.needsApiKey(config)
        ? new ApiKeyLoader().load(config.iam())
        : null;
    return new LoadedConfig(config, apiKey);
  }

  /** Returns true when {@code other} has an equal config and the same API key. */
  boolean sameAs(LoadedConfig other) {
    return config.equals(other.config) && !apiKeyChanged(other);
  }

  /** Returns true when {@code other} has another API key, or has one where this has none. */
  boolean apiKeyChanged(LoadedConfig other) {
    if (apiKey == null || other.apiKey == null) {
      return apiKey != other.apiKey;
    }
    return !apiKey.reveal().equals(other.apiKey.reveal());
  }

  /** Returns {@code text} with the API key masked, for errors shown on a page or in a log. */
  String mask(String text) {
    return apiKey == null ? text : apiKey.maskIn(text);
  }
}
