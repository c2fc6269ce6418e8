package io.github.keyprotectexporter.simulator;

import java.util.List;

/**
 * Thrown when a scenario cannot be read or is invalid. The message lists every problem found, each
 * naming the path of the field and its value.
 */
public class ScenarioException extends IllegalArgumentException {

  private final List<String> problems;

  ScenarioException(String source, List<String> problems) {
    super("Invalid scenario " + source + ":\n  - " + String.join("\n  - ", problems));
    this.problems = List.copyOf(problems);
  }

  ScenarioException(String message, Throwable cause) {
    super(message, cause);
    this.problems = List.of(message);
  }

  /** Returns the problems one per entry, such as {@code instances[0].id: missing}. */
  public List<String> problems() {
    return problems;
  }
}
