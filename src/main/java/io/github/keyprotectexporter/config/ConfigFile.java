package io.github.keyprotectexporter.config;

import java.util.Objects;
import java.util.Optional;

/**
 * A checked configuration file: the agent's configuration and the top-level {@code shard} key,
 * which stays apart because a {@code --shard} flag overrides it.
 *
 * @param config every configured instance, before any shard is applied
 * @param shard the shard from the file, or empty when the file has no {@code shard} key
 */
public record ConfigFile(ExporterConfig config, Optional<Shard> shard) {

  public ConfigFile {
    Objects.requireNonNull(config, "config");
    Objects.requireNonNull(shard, "shard");
  }
}
