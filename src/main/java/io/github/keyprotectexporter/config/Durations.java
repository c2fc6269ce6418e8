package io.github.keyprotectexporter.config;

import java.time.Duration;
import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * Parses and formats durations in the notation Prometheus uses in its own configuration.
 *
 * <pre>{@code
 * Duration interval = Durations.parse("1m30s"); // 90 seconds
 * String text = Durations.format(interval);     // "1m30s"
 * }</pre>
 *
 * <p>A duration is one or more pairs of a whole number and a unit, from the largest unit to the
 * smallest: {@code y} (365 days), {@code w}, {@code d}, {@code h}, {@code m}, {@code s}, {@code
 * ms}. Negative values, fractions, bare numbers and values above {@link #MAX} are rejected.
 */
public final class Durations {

  /** Valid examples shown in every error message. */
  public static final String EXAMPLES = "500ms, 30s, 5m, 1h, 1d, 1m30s";

  /** The largest duration accepted, the range of a signed 64-bit count of nanoseconds. */
  public static final Duration MAX = Duration.ofMillis(Long.MAX_VALUE / 1_000_000);

  private enum Unit {
    YEAR("y", Duration.ofDays(365).toMillis()),
    WEEK("w", Duration.ofDays(7).toMillis()),
    DAY("d", Duration.ofDays(1).toMillis()),
    HOUR("h", Duration.ofHours(1).toMillis()),
    MINUTE("m", Duration.ofMinutes(1).toMillis()),
    SECOND("s", 1000),
    MILLISECOND("ms", 1);

    final String symbol;
    final long millis;

    Unit(String symbol, long millis) {
      this.symbol = symbol;
      this.millis = millis;
    }

    static Unit of(String symbol) {
      for (Unit unit : values()) {
        if (unit.symbol.equals(symbol)) {
          return unit;
        }
      }
      return null;
    }
  }

  private Durations() {}

  /**
   * Parses a duration such as {@code 30s} or {@code 1h30m}.
   *
   * @throws IllegalArgumentException if the text is not a valid duration. The message quotes the
   *     text, states the problem and lists valid examples
   */
  public static Duration parse(String text) {
    Objects.requireNonNull(text, "text");
    if (text.isEmpty()) {
      throw invalid(text, "it is empty");
    }
    if (text.startsWith("-")) {
      throw invalid(text, "negative durations are not allowed");
    }
    long totalMillis = 0;
    Unit previous = null;
    int position = 0;
    while (position < text.length()) {
      int numberEnd = skip(text, position, Durations::isAsciiDigit);
      int unitEnd = skip(text, numberEnd, Durations::isAsciiLetter);
      if (numberEnd == position) {
        throw invalid(text, unexpected(text, position) + ", where a number should start");
      }
      if (unitEnd == numberEnd) {
        throw missingUnit(text, numberEnd);
      }
      Unit unit = unitOf(text, text.substring(numberEnd, unitEnd));
      checkOrder(text, previous, unit);
      totalMillis = add(text, totalMillis, text.substring(position, numberEnd), unit);
      previous = unit;
      position = unitEnd;
    }
    return Duration.ofMillis(totalMillis);
  }

  /**
   * Formats a duration with the largest units first, for example {@code 1m30s}, or {@code 0s} for
   * zero. The result parses back to the same value, except that a part below one millisecond is
   * dropped.
   *
   * @throws IllegalArgumentException if the duration is negative or larger than {@link #MAX}
   */
  public static String format(Duration duration) {
    Objects.requireNonNull(duration, "duration");
    if (duration.isNegative() || duration.compareTo(MAX) > 0) {
      throw new IllegalArgumentException(
          "Cannot format " + duration + ": only durations from 0 to " + MAX + " can be written");
    }
    long rest = duration.toMillis();
    if (rest == 0) {
      return "0s";
    }
    StringBuilder text = new StringBuilder();
    for (Unit unit : Unit.values()) {
      if (rest >= unit.millis) {
        text.append(rest / unit.millis).append(unit.symbol);
        rest %= unit.millis;
      }
    }
    return text.toString();
  }

  private static int skip(String text, int from, IntPredicate accepted) {
    int position = from;
    while (position < text.length() && accepted.test(text.charAt(position))) {
      position++;
    }
    return position;
  }

  private static int skipBack(String text, int end) {
    int position = end;
    while (position > 0 && isAsciiDigit(text.charAt(position - 1))) {
      position--;
    }
    return position;
  }

  private static boolean isAsciiDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isAsciiLetter(int c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static IllegalArgumentException missingUnit(String text, int position) {
    if (position == text.length()) {
      String number = text.substring(skipBack(text, position));
      String hint = " has no unit, so write " + number + "s for " + number + " seconds";
      return invalid(text, (number.equals(text) ? "the number" : "the last number") + hint);
    }
    char found = text.charAt(position);
    if (found == '.' || found == ',') {
      return invalid(text, "fractions are not allowed, so write 1m30s instead of 1.5m");
    }
    return invalid(text, unexpected(text, position));
  }

  private static String unexpected(String text, int position) {
    String found = Echo.quote(text.substring(position, position + 1));
    return "unexpected character " + found + " at position " + (position + 1);
  }

  private static Unit unitOf(String text, String symbol) {
    Unit unit = Unit.of(symbol);
    if (unit == null) {
      String units = "the units are y, w, d, h, m, s and ms in lower case";
      throw invalid(text, "unknown unit " + Echo.quote(symbol) + ", " + units);
    }
    return unit;
  }

  private static void checkOrder(String text, Unit previous, Unit unit) {
    if (previous == null || unit.ordinal() > previous.ordinal()) {
      return;
    }
    if (unit == previous) {
      throw invalid(text, "the unit " + unit.symbol + " appears twice");
    }
    throw invalid(text, "units must go from the largest to the smallest, as in 1h30m");
  }

  private static long add(String text, long totalMillis, String number, Unit unit) {
    try {
      long millis = Math.multiplyExact(Long.parseLong(number), unit.millis);
      long sum = Math.addExact(totalMillis, millis);
      if (sum <= MAX.toMillis()) {
        return sum;
      }
    } catch (NumberFormatException | ArithmeticException tooLarge) {
      // Both mean that the number does not fit, which the message below reports.
    }
    throw invalid(text, "it is larger than the maximum of " + format(MAX));
  }

  private static IllegalArgumentException invalid(String text, String problem) {
    return new IllegalArgumentException(
        "invalid duration " + Echo.quote(text) + ": " + problem + ". Valid examples: " + EXAMPLES);
  }
}
