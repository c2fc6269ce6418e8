package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.ConfigFile;
import io.github.keyprotectexporter.config.Shard;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** The {@code --shard} option, which overrides the config file's {@code shard} key. */
final class ShardOption {

  private static final Logger logger = LoggerFactory.getLogger(ShardOption.class);

  @Option(
      names = "--shard",
      paramLabel = "I/N",
      converter = ShardConverter.class,
      description = {
        "Poll and export only shard I of N (numbered from 0): the instances whose id hashes to I.",
        "Overrides the config key shard. Default: all instances (0/1)."
      })
  Shard shard;

  /** Returns the flag's shard, else the file's, else {@link Shard#ALL}. */
  Shard resolve(ConfigFile loaded) {
    if (shard != null) {
      return shard;
    }
    return loaded.shard().orElse(Shard.ALL);
  }

  /** Returns the file's config reduced to the chosen shard, and logs what the shard owns. */
  static ExporterConfig apply(Shard shard, ExporterConfig config) {
    ExporterConfig owned = shard.select(config);
    if (shard.count() == 1) {
      return owned;
    }
    int configuredCount = config.instances().size();
    int ownedCount = owned.instances().size();
    if (ownedCount == 0) {
      logger.warn("Shard {} owns none of the {} configured instances, so it polls nothing."
          + " Use fewer shards", shard, configuredCount);
    } else {
      logger.info("Shard {} owns {} of the {} configured instances", shard, ownedCount,
          configuredCount);
    }
    return owned;
  }

  /** Converts {@code I/N} for picocli, whose error handler then exits 2. */
  static final class ShardConverter implements ITypeConverter<Shard> {
    @Override
    public Shard convert(String value) {
      try {
        return Shard.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
