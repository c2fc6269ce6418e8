package io.github.keyprotectexporter.alerting;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * Finds the Prometheus and Alertmanager binaries that the rule, config and end-to-end tests run.
 * A missing binary skips the test with the install command, except under {@code CI=true}, where
 * a skipped check would hide a broken pipeline, so the test fails instead.
 */
public final class RequiredTools {

  /** Debian package that ships {@code prometheus} and {@code promtool}. */
  public static final String PROMETHEUS_PACKAGE = "prometheus";
  /** Debian package that ships {@code prometheus-alertmanager} and {@code amtool}. */
  public static final String ALERTMANAGER_PACKAGE = "prometheus-alertmanager";

  private RequiredTools() {}

  public static Path promtool() {
    return require("promtool", PROMETHEUS_PACKAGE);
  }

  public static Path prometheus() {
    return require("prometheus", PROMETHEUS_PACKAGE);
  }

  public static Path amtool() {
    return require("amtool", ALERTMANAGER_PACKAGE);
  }

  public static Path alertmanager() {
    return require("prometheus-alertmanager", ALERTMANAGER_PACKAGE);
  }

  /**
   * Returns the path of {@code binary} on the PATH, or skips (fails under CI) the calling test.
   */
  public static Path require(String binary, String debianPackage) {
    Optional<Path> found = find(binary);
    if (found.isPresent()) {
      return found.get();
    }
    String message =
        binary + " is not installed. Install it with: sudo apt-get update && sudo"
            + " DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
            + debianPackage + " (or run .ci/run, which installs it)";
    if ("true".equalsIgnoreCase(System.getenv("CI"))) {
      fail(message + ". CI=true, so this check fails instead of being skipped");
    }
    Assumptions.abort(message);
    throw new AssertionError("unreachable");
  }

  private static Optional<Path> find(String binary) {
    String path = Optional.ofNullable(System.getenv("PATH")).orElse("/usr/bin");
    for (String directory : path.split(File.pathSeparator)) {
      if (directory.isEmpty()) {
        continue;
      }
      Path candidate = Path.of(directory, binary);
      if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }
}
