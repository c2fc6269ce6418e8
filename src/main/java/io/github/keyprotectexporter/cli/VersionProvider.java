package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.metrics.BuildInfo;
import picocli.CommandLine.IVersionProvider;

/** Prints the version and revision from the jar manifest. */
final class VersionProvider implements IVersionProvider {

  @Override
  public String[] getVersion() {
    BuildInfo info = BuildInfo.ofJarContaining(Main.class);
    return new String[] {"keyprotect-exporter " + info.version() + " (revision " + info.revision()
        + ", Java " + Runtime.version() + ")"};
  }
}
