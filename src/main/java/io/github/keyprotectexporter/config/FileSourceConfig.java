package io.github.keyprotectexporter.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Reads the crypto units from an adapter file, which an adapter or a scheduled job replaces
 * atomically.
 *
 * @param path the file, relative paths resolved against the agent's working directory
 * @param documentInstanceId the instance id under which the file lists the units, or null when it
 *     is the configured instance id
 */
public record FileSourceConfig(Path path, String documentInstanceId) implements SourceConfig {

  public FileSourceConfig {
    Objects.requireNonNull(path, "path");
  }

  @Override
  public String type() {
    return "file";
  }
}
