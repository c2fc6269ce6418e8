package io.github.keyprotectexporter.simulator;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses durations written as Prometheus writes them: one or more number-unit pairs in decreasing
 * unit order, such as {@code 30s}, {@code 1m}, {@code 1m30s} or {@code 250ms}. Units are
 * {@code y} (365 days), {@code w}, {@code d}, {@code h}, {@code m}, {@code s} and {@code ms}.
 */
final class ScenarioDurations {

  private static final Pattern FORMAT =
      Pattern.compile(
          "(?:(\\d+)y)?(?:(\\d+)w)?(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+)s)?(?:(\\d+)ms)?");

  private static final Duration[] UNITS = {
    Duration.ofDays(365),
    Duration.ofDays(7),
    Duration.ofDays(1),
    Duration.ofHours(1),
    Duration.ofMinutes(1),
    Duration.ofSeconds(1),
    Duration.ofMillis(1)
  };

  private ScenarioDurations() {}

  /** Parses {@code text}, or returns empty when it is not a duration in this format. */
  static Optional<Duration> parse(String text) {
    if (text == null || text.isEmpty()) {
      return Optional.empty();
    }
    Matcher matcher = FORMAT.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    Duration total = Duration.ZERO;
    try {
      for (int group = 1; group <= UNITS.length; group++) {
        String amount = matcher.group(group);
        if (amount != null) {
          total = total.plus(UNITS[group - 1].multipliedBy(Long.parseLong(amount)));
        }
      }
    } catch (ArithmeticException | NumberFormatException tooLarge) {
      return Optional.empty();
    }
    return Optional.of(total);
  }
}
