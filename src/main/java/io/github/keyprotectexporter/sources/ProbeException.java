package io.github.keyprotectexporter.sources;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failed key-operation probe, classified by {@link ProbeFailureReason}.
 *
 * <p>The message is safe to log: it never contains an API key, a token or a full response body.
 */
public class ProbeException extends Exception {

  private final ProbeFailureReason reason;
  private final Duration retryAfter;

  public ProbeException(ProbeFailureReason reason, String message) {
    this(reason, message, (Duration) null);
  }

  /**
   * Creates a failure with the wait that the key API requested.
   *
   * @param retryAfter the {@code Retry-After} wait, at most {@link RetryAfter#MAX_WAIT}, or null
   */
  public ProbeException(ProbeFailureReason reason, String message, Duration retryAfter) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryAfter = retryAfter;
  }

  public ProbeException(ProbeFailureReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryAfter = null;
  }

  public ProbeFailureReason reason() {
    return reason;
  }

  /**
   * Returns the wait that the key API requested with {@code Retry-After}, measured from when its
   * response arrived, or empty when it sent none.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
