package io.github.keyprotectexporter.sources;

/**
 * Finds and escapes the characters that can break or disguise a log line or a terminal. These are
 * ISO control characters (newline, NUL, ESC), Unicode format characters (bidirectional overrides
 * such as U+202E, zero-width characters) and the separators U+2028 and U+2029.
 */
public final class PrintableText {

  private PrintableText() {}

  /** Returns true when {@code text} contains a character that {@link #escape} would replace. */
  public static boolean containsUnsafe(String text) {
    return text != null && text.codePoints().anyMatch(PrintableText::isUnsafe);
  }

  /**
   * Returns {@code text} with each unsafe character replaced by a backslash, {@code u} and its code
   * point in hex (ESC becomes {@code u001B} after the backslash), so that the text stays on one
   * line and shows what was sent. Null stays null.
   */
  public static String escape(String text) {
    if (!containsUnsafe(text)) {
      return text;
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    text.codePoints()
        .forEach(
            codePoint -> {
              if (isUnsafe(codePoint)) {
                escaped.append(String.format("\\u%04X", codePoint));
              } else {
                escaped.appendCodePoint(codePoint);
              }
            });
    return escaped.toString();
  }

  private static boolean isUnsafe(int codePoint) {
    int type = Character.getType(codePoint);
    return Character.isISOControl(codePoint)
        || type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR;
  }
}
