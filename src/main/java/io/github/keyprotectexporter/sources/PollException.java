package io.github.keyprotectexporter.sources;

import java.util.Objects;

/**
 * A failed read of an instance's crypto units, classified by {@link PollErrorReason}.
 *
 * <p>The message is safe to log: it never contains an API key, a token or a full response body.
 */
public class PollException extends Exception {

  private final PollErrorReason reason;

  public PollException(PollErrorReason reason, String message) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public PollException(PollErrorReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
  }

  public PollErrorReason reason() {
    return reason;
  }
}
