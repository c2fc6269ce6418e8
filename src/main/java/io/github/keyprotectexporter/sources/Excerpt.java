package io.github.keyprotectexporter.sources;

/**
 * Short, single-line excerpts of response bodies and reported values, safe to put in one log line.
 */
final class Excerpt {

  /** Maximum length of an excerpt in characters, before the trailing ellipsis. */
  static final int MAX_CHARS = 120;

  private Excerpt() {}

  /**
   * Removes control and format characters, collapses white space and cuts the text at {@link
   * #MAX_CHARS} characters, so that a body or value cannot break, disguise or flood a log line.
   */
  static String of(String text) {
    return of(text, MAX_CHARS);
  }

  static String of(String text, int maxChars) {
    if (text == null) {
      return "";
    }
    StringBuilder cleaned = new StringBuilder(Math.min(text.length(), maxChars + 1));
    boolean pendingSpace = false;
    for (int i = 0; i < text.length() && cleaned.length() <= maxChars; i++) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        pendingSpace = cleaned.length() > 0;
        continue;
      }
      if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT) {
        continue;
      }
      if (pendingSpace) {
        cleaned.append(' ');
        pendingSpace = false;
      }
      cleaned.append(c);
    }
    if (cleaned.length() <= maxChars) {
      return cleaned.toString();
    }
    int end = maxChars;
    if (Character.isHighSurrogate(cleaned.charAt(end - 1))) {
      end--;
    }
    return cleaned.substring(0, end) + "...";
  }
}
