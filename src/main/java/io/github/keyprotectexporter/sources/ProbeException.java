package io.github.keyprotectexporter.sources;

import java.util.Objects;

/**
 * A failed key-operation probe, classified by {@link ProbeFailureReason}.
 *
 * <p>The message is safe to log: it never contains an API key, a token or a full response body.
 */
public class ProbeException extends Exception {

  private final ProbeFailureReason reason;

  public ProbeException(ProbeFailureReason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public ProbeException(ProbeFailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public ProbeFailureReason reason() {
    return reason;
  }
}
