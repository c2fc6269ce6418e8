package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.sources.PollException;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Decides whether a failed poll attempt is retried within the same poll, and after what wait.
 *
 * <p>Only failures that the source marks retryable are retried (429, and 5xx except 501), at most
 * {@link #MAX_RETRIES} times per poll. The wait is the {@code Retry-After} of the response when it
 * has one, else exponential backoff with full jitter: a random time between zero and {@link
 * #BASE_BACKOFF} times 2<sup>n</sup> before the retry n+1, at most {@link #MAX_BACKOFF}. A retry
 * whose wait would end after the poll's deadline is not made.
 */
final class RetryPolicy {

  static final int MAX_RETRIES = 3;
  static final Duration BASE_BACKOFF = Duration.ofSeconds(1);
  static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

  private final RandomGenerator random;

  RetryPolicy(RandomGenerator random) {
    this.random = random;
  }

  /**
   * Returns the wait before the next attempt, or empty when the poll must fail now.
   *
   * @param retriesMade retries already made in this poll, 0 after the first attempt
   * @param deadline the time by which the next attempt must have started
   */
  Optional<Duration> retryWait(
      int retriesMade, PollException failure, Instant now, Instant deadline) {
    if (!failure.retryable() || retriesMade >= MAX_RETRIES) {
      return Optional.empty();
    }
    Duration wait = failure.retryAfter().orElseGet(() -> backoff(retriesMade));
    if (now.plus(wait).isAfter(deadline)) {
      return Optional.empty();
    }
    return Optional.of(wait);
  }

  /** Returns a random wait between zero and the exponential ceiling for {@code retriesMade}. */
  Duration backoff(int retriesMade) {
    int doublings = Math.min(retriesMade, 20);
    Duration ceiling = BASE_BACKOFF.multipliedBy(1L << doublings);
    if (ceiling.compareTo(MAX_BACKOFF) > 0) {
      ceiling = MAX_BACKOFF;
    }
    return Duration.ofMillis((long) (random.nextDouble() * ceiling.toMillis()));
  }
}
