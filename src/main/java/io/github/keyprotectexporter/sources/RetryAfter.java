package io.github.keyprotectexporter.sources;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.regex.Pattern;
import okhttp3.Headers;

/**
 * Reads the {@code Retry-After} header of a response (RFC 9110, section 10.2.3): either a number
 * of seconds or an HTTP date. The result is a wait of at least zero and at most {@link #MAX_WAIT}.
 */
public final class RetryAfter {

  /**
   * Maximum wait honoured. A larger value is cut to this, because a wrong header would otherwise
   * stop the agent from polling an instance for hours or days.
   */
  public static final Duration MAX_WAIT = Duration.ofMinutes(10);

  private static final Pattern DELTA_SECONDS = Pattern.compile("\\d+");

  /** More digits than this cannot fit a long, and far exceed {@link #MAX_WAIT} anyway. */
  private static final int MAX_DIGITS = 18;

  private RetryAfter() {}

  /**
   * Returns the wait that {@code headers} request, or empty when there is no {@code Retry-After}
   * or its value is neither a number of seconds nor an HTTP date.
   *
   * <p>An HTTP date is measured from the response's own {@code Date} header when it has one,
   * because both then come from the server's clock and skew between the two hosts cancels out.
   * Without a {@code Date} header it is measured from {@code receivedAt}.
   */
  public static Optional<Duration> parse(Headers headers, Instant receivedAt) {
    String value = headers.get("Retry-After");
    if (value == null) {
      return Optional.empty();
    }
    String trimmed = value.trim();
    if (DELTA_SECONDS.matcher(trimmed).matches()) {
      if (trimmed.length() > MAX_DIGITS) {
        return Optional.of(MAX_WAIT);
      }
      return Optional.of(bound(Duration.ofSeconds(Long.parseLong(trimmed))));
    }
    Date retryAt = headers.getDate("Retry-After");
    if (retryAt == null) {
      return Optional.empty();
    }
    Date serverNow = headers.getDate("Date");
    Instant base = serverNow == null ? receivedAt : serverNow.toInstant();
    return Optional.of(bound(Duration.between(base, retryAt.toInstant())));
  }

  private static Duration bound(Duration wait) {
    if (wait.isNegative()) {
      return Duration.ZERO;
    }
    return wait.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : wait;
  }
}
