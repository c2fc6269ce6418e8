package io.github.keyprotectexporter.config;

/**
 * The source of an instance's crypto units: the Key Protect API (the default), an adapter file, or
 * the output of a command.
 */
public sealed interface SourceConfig
    permits ApiSourceConfig, FileSourceConfig, CommandSourceConfig {

  /** Returns the value of {@code source.type} in the configuration. */
  String type();
}
