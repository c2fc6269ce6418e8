package io.github.keyprotectexporter.config;

import java.util.List;

/** The validated configuration of the agent, immutable once loaded. */
public record ExporterConfig(PollSettings poll, IamSettings iam, List<InstanceConfig> instances) {

  public ExporterConfig {
    instances = List.copyOf(instances);
  }
}
