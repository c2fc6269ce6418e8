package io.github.keyprotectexporter.http;

import java.util.List;

/** Reloads the agent's configuration on {@code POST /-/reload}. */
@FunctionalInterface
public interface ConfigReloader {

  /**
   * The outcome of one reload.
   *
   * @param errors why the reload failed, one self-contained line each without secrets; empty
   *     when it succeeded
   */
  record Result(List<String> errors) {

    public Result {
      errors = List.copyOf(errors);
    }

    public static Result success() {
      return new Result(List.of());
    }

    public boolean successful() {
      return errors.isEmpty();
    }
  }

  /** Reloads the configuration, waiting for any reload already running to finish first. */
  Result reload();
}
