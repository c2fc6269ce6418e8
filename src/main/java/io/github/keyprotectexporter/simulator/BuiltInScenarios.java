package io.github.keyprotectexporter.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

/**
 * The scenarios shipped in the jar, stored as {@code simulator/scenarios/<name>.yaml} on the
 * classpath.
 *
 * <pre>{@code
 * Scenario demo = BuiltInScenarios.load(BuiltInScenarios.DEMO);
 * }</pre>
 */
public final class BuiltInScenarios {

  /** The scenario the {@code demo} command runs, which shows every case within two minutes. */
  public static final String DEMO = "demo";

  private static final List<String> NAMES =
      List.of(
          "healthy",
          "single-point-of-failure",
          "maintenance",
          "initializing",
          "api-outage",
          "master-key-mismatch",
          "master-key-check-values",
          DEMO,
          "faults");

  private BuiltInScenarios() {}

  /** Returns the names of all built-in scenarios, in the order a user should try them. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Loads a built-in scenario by name.
   *
   * @throws IllegalArgumentException when no built-in scenario has that name, with the existing
   *     names in the message
   */
  public static Scenario load(String name) {
    if (!NAMES.contains(name)) {
      throw new IllegalArgumentException(
          "No built-in scenario is named \"" + name + "\"; choose one of "
              + String.join(", ", NAMES) + ", or pass the path of a scenario file");
    }
    String resource = resourcePath(name);
    try (InputStream in = BuiltInScenarios.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException(resource + " is not on the classpath");
      }
      return ScenarioLoader.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), resource);
    } catch (IOException e) {
      throw new UncheckedIOException("Built-in scenario " + resource + " could not be read", e);
    }
  }

  /**
   * Loads a built-in scenario when {@code nameOrPath} is one of {@link #names()}, and otherwise
   * the scenario file at that path.
   *
   * @throws ScenarioException when the file cannot be read or is invalid
   * @throws IllegalArgumentException when it is neither a built-in name nor an existing file
   */
  public static Scenario loadByNameOrPath(String nameOrPath) {
    if (NAMES.contains(nameOrPath)) {
      return load(nameOrPath);
    }
    if (!isRegularFile(nameOrPath)) {
      throw new IllegalArgumentException(
          "Scenario \"" + nameOrPath + "\" is neither a built-in scenario ("
              + String.join(", ", NAMES) + ") nor an existing file");
    }
    return ScenarioLoader.load(Path.of(nameOrPath));
  }

  private static boolean isRegularFile(String path) {
    try {
      return Files.isRegularFile(Path.of(path));
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /** Returns the classpath location of a built-in scenario's YAML file. */
  public static String resourcePath(String name) {
    return "simulator/scenarios/" + name + ".yaml";
  }
}
