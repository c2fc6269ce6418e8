package io.github.keyprotectexporter.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads the YAML configuration and checks it completely before the agent starts.
 *
 * <pre>{@code
 * ExporterConfig config = new ConfigLoader().load(Path.of("config.yaml"));
 * }</pre>
 *
 * <p>Every error in the file is collected and raised at once in a {@link ConfigException}. Each
 * names the key path (such as {@code instances[2].region}), the bad value and the fix. Values that
 * work but look wrong, such as a region without Dedicated Key Protect, are logged at WARN.
 */
public final class ConfigLoader {

  /** The top-level keys of the configuration. */
  static final List<String> KEYS = List.of("poll", "iam", "probe", "instances", "shard");

  /**
   * Maximum size of a configuration file, far above any real one, to stop early at a wrong path.
   */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  private static final Logger logger = LoggerFactory.getLogger(ConfigLoader.class);

  /**
   * Reads and checks a configuration file, which must be UTF-8 text.
   *
   * @throws ConfigException with every error found, each line starting with the file name
   */
  public ExporterConfig load(Path file) throws ConfigException {
    return loadWithShard(file).config();
  }

  /**
   * Reads and checks a configuration file like {@link #load}, and also returns its {@code shard}
   * key.
   *
   * @throws ConfigException with every error found, each line starting with the file name
   */
  public ConfigFile loadWithShard(Path file) throws ConfigException {
    return parseWithShard(readFile(file), file.toString());
  }

  /**
   * Parses and checks YAML text.
   *
   * @param sourceName the file name or other label that starts each error line
   * @throws ConfigException with every error found
   */
  public ExporterConfig parse(String yaml, String sourceName) throws ConfigException {
    return parseWithShard(yaml, sourceName).config();
  }

  /**
   * Parses and checks YAML text like {@link #parse}, and also returns its {@code shard} key.
   *
   * @throws ConfigException with every error found
   */
  public ConfigFile parseWithShard(String yaml, String sourceName) throws ConfigException {
    JsonNode root = YamlDocument.read(yaml, sourceName);
    Problems problems = new Problems(sourceName);
    ConfigNode config = ConfigNode.root(root, problems);
    config.allowOnlyKeys(KEYS);
    PollSettings poll = PollSettingsReader.read(config.get("poll"));
    IamSettings iam = IamSettingsReader.read(config.get("iam"));
    ProbeSettings probe = ProbeSettingsReader.readDefaults(config.get("probe"), poll.timeout());
    List<InstanceConfig> instances =
        InstancesReader.read(config.get("instances"), probe, poll.timeout());
    Optional<Shard> shard = readShard(config.get("shard"));
    for (String warning : problems.warnings()) {
      logger.warn(warning);
    }
    problems.throwIfAny();
    return new ConfigFile(new ExporterConfig(poll, iam, instances), shard);
  }

  private static Optional<Shard> readShard(ConfigNode node) {
    Optional<String> text = node.scalar("a shard like 0/3");
    try {
      return text.map(Shard::parse);
    } catch (IllegalArgumentException e) {
      node.error(e.getMessage());
      return Optional.empty();
    }
  }

  /** Reads a UTF-8 configuration file of at most {@link #MAX_FILE_BYTES}. */
  static String readFile(Path file) throws ConfigException {
    if (Files.isDirectory(file)) {
      throw new ConfigException(file + ": is a directory. Give the path of the YAML file");
    }
    // Opening a named pipe blocks until a writer appears, which would hang a reload for good.
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new ConfigException(file + ": is not a regular file, such as a named pipe or a"
          + " device. Give the path of the YAML file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": not found. Check the path of the configuration file", e);
    } catch (AccessDeniedException e) {
      throw new ConfigException(
          file
              + ": cannot be read, permission denied. Give the user that runs the exporter read"
              + " access",
          e);
    } catch (IOException e) {
      String reason =
          e instanceof FileSystemException failure ? failure.getReason() : e.getMessage();
      throw new ConfigException(file + ": cannot be read: " + reason, e);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ConfigException(
          file
              + ": larger than "
              + MAX_FILE_BYTES
              + " bytes, too large for a configuration file. Check the path");
    }
    return decode(file, bytes);
  }

  private static String decode(Path file, byte[] bytes) throws ConfigException {
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new ConfigException(file + ": not UTF-8 text. Save the file as UTF-8", e);
    }
  }
}
