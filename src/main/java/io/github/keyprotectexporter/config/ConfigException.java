package io.github.keyprotectexporter.config;

import java.util.List;

/**
 * Raised when the configuration or the API key cannot be used. It carries every error found, each a
 * self-contained line that names the source, the key path, the bad value and the fix. The message
 * is those lines joined by line breaks. No error repeats a secret.
 */
public final class ConfigException extends Exception {

  private final List<String> errors;

  /** Creates an exception for one or more errors, each a complete line. */
  public ConfigException(List<String> errors) {
    this(errors, null);
  }

  /** Creates an exception for a single error. */
  public ConfigException(String error) {
    this(List.of(error), null);
  }

  /** Creates an exception for a single error caused by {@code cause}. */
  public ConfigException(String error, Throwable cause) {
    this(List.of(error), cause);
  }

  private ConfigException(List<String> errors, Throwable cause) {
    super(String.join("\n", errors), cause);
    if (errors.isEmpty()) {
      throw new IllegalArgumentException("A ConfigException needs at least one error");
    }
    this.errors = List.copyOf(errors);
  }

  /** Returns the errors in the order they were found. */
  public List<String> errors() {
    return errors;
  }
}
