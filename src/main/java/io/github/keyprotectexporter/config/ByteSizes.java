package io.github.keyprotectexporter.config;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses sizes such as {@code 1MiB}, {@code 512KiB}, {@code 64kB} or a plain number of bytes. */
final class ByteSizes {

  static final String EXAMPLES = "1MiB, 512KiB or 65536";

  private static final Pattern SIZE = Pattern.compile("([0-9]{1,12})\\s*([A-Za-z]*)");
  private static final Map<String, Long> UNITS =
      Map.of(
          "", 1L,
          "b", 1L,
          "kb", 1000L,
          "kib", 1024L,
          "mb", 1000L * 1000,
          "mib", 1024L * 1024);

  private ByteSizes() {}

  /**
   * Returns the number of bytes.
   *
   * @throws IllegalArgumentException naming the value and the accepted forms
   */
  static long parse(String text) {
    Matcher matcher = SIZE.matcher(text.strip());
    Long unit =
        matcher.matches() ? UNITS.get(matcher.group(2).toLowerCase(Locale.ROOT)) : null;
    if (unit == null) {
      throw new IllegalArgumentException(
          Echo.quote(text)
              + " is not a size. Write a whole number of bytes or a number with the unit B,"
              + " KiB, MiB, kB or MB, such as "
              + EXAMPLES);
    }
    return Long.parseLong(matcher.group(1)) * unit;
  }

  /** Formats a size with the largest binary unit that divides it, such as {@code 1MiB}. */
  static String format(long bytes) {
    if (bytes > 0 && bytes % (1024 * 1024) == 0) {
      return bytes / (1024 * 1024) + "MiB";
    }
    if (bytes > 0 && bytes % 1024 == 0) {
      return bytes / 1024 + "KiB";
    }
    return bytes + "B";
  }
}
