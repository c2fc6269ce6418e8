package io.github.keyprotectexporter.sources;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A failed read of an instance's crypto units, classified by {@link PollErrorReason}.
 *
 * <p>The message is safe to log: it never contains an API key, a token or a full response body.
 *
 * <p>A source makes one attempt per call and marks failures that another attempt may fix as
 * retryable (429, and 5xx except 501). The polling layer decides whether and when to retry. A
 * {@code Retry-After} wait that the API sent comes with the failure, at most {@link
 * RetryAfter#MAX_WAIT}.
 */
public class PollException extends Exception {

  private final PollErrorReason reason;
  private final boolean retryable;
  private final Duration retryAfter;

  public PollException(PollErrorReason reason, String message) {
    this(reason, message, false, null);
  }

  public PollException(PollErrorReason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryable = false;
    this.retryAfter = null;
  }

  /**
   * Creates a failure that states whether a retry may succeed.
   *
   * @param retryAfter the wait that the API requested before the next request, or null
   */
  public PollException(
      PollErrorReason reason, String message, boolean retryable, Duration retryAfter) {
    super(message);
    this.reason = Objects.requireNonNull(reason, "reason");
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public PollErrorReason reason() {
    return reason;
  }

  /** Returns true when the same request may succeed if sent again later. */
  public boolean retryable() {
    return retryable;
  }

  /**
   * Returns the wait that the API requested with {@code Retry-After}, measured from when its
   * response arrived, or empty when it sent none.
   */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
