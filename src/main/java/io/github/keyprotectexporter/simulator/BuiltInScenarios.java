package io.github.keyprotectexporter.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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

  /** The scenario the {@code demo} command runs: every case within about two and a half minutes. */
  public static final String DEMO = "demo";

  private static final List<String> NAMES =
      List.of(
          "healthy", "single-point-of-failure", "maintenance", "initializing", "api-outage", DEMO);

  private BuiltInScenarios() {}

  /** Returns the names of all built-in scenarios, in the order a user should try them. */
  public static List<String> names() {
    return NAMES;
  }

  /**
   * Loads a built-in scenario by name.
   *
   * @throws IllegalArgumentException when no built-in scenario has that name; the message lists
   *     the names that exist
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

  /** Returns the classpath location of a built-in scenario's YAML file. */
  public static String resourcePath(String name) {
    return "simulator/scenarios/" + name + ".yaml";
  }
}
