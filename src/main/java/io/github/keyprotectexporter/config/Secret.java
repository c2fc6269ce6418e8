package io.github.keyprotectexporter.config;

import java.util.Objects;

/**
 * A credential such as an API key or a token. {@link #toString()} is masked so that a secret
 * passed to a logger, a message or a record's generated {@code toString} is not revealed.
 */
public final class Secret {

  private final String value;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** Returns the secret itself; call only where it is sent to the service that needs it. */
  public String reveal() {
    return value;
  }

  /** Returns true when {@code text} contains this secret, for callers that scrub text. */
  public boolean occursIn(String text) {
    return text != null && !value.isEmpty() && text.contains(value);
  }

  /** Returns {@code text} with every occurrence of this secret replaced by a mask. */
  public String maskIn(String text) {
    if (text == null || value.isEmpty()) {
      return text;
    }
    return text.replace(value, "****");
  }

  @Override
  public String toString() {
    return "****";
  }
}
