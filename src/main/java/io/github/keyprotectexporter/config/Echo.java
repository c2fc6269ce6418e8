package io.github.keyprotectexporter.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Renders configuration values for error messages: quoted, escaped, shortened and masked. */
final class Echo {

  private static final int MAX_LENGTH = 80;
  private static final Pattern URL_USER_INFO =
      Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@");
  private static final Pattern KEY_CHARACTERS = Pattern.compile("[A-Za-z0-9_-]{32,}");

  private Echo() {}

  /**
   * Returns the text in double quotes, with control characters escaped, long text cut and every
   * run that looks like an API key masked, because a key pasted into the wrong setting must not be
   * printed back.
   */
  static String quote(String text) {
    String masked = maskKeyShaped(text);
    String shown = masked.length() > MAX_LENGTH ? masked.substring(0, MAX_LENGTH) : masked;
    StringBuilder quoted = new StringBuilder("\"");
    shown.codePoints().forEach(c -> quoted.append(escape(c)));
    quoted.append('"');
    if (shown.length() < masked.length()) {
      quoted.append(" (cut, ").append(masked.length()).append(" characters)");
    }
    return quoted.toString();
  }

  /** Returns the URL quoted, with any user information before the host replaced by a mask. */
  static String url(String text) {
    return quote(maskUserInfo(text));
  }

  /**
   * Returns the URL with any user information before the host, and any run that looks like an API
   * key, replaced by a mask.
   */
  static String maskUserInfo(String url) {
    return maskKeyShaped(URL_USER_INFO.matcher(url).replaceFirst("$1****@"));
  }

  /** Describes a YAML value by its type and, for a scalar, its value: {@code the number 30}. */
  static String node(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "no value";
    }
    if (node.isTextual()) {
      return "the string " + quote(node.textValue());
    }
    if (node.isNumber()) {
      return "the number " + node.asText();
    }
    if (node.isBoolean()) {
      return "the boolean " + node.asText();
    }
    if (node.isArray()) {
      return "a list";
    }
    return node.isObject() ? "a mapping" : "a value of type " + node.getNodeType();
  }

  /**
   * Returns true when the text has the shape of an IBM Cloud API key (long, mixed case, digits)
   * rather than of a variable name or a path. Callers then leave it out of error messages, in case
   * a key was pasted into the wrong setting.
   */
  static boolean looksLikeApiKey(String text) {
    return KEY_CHARACTERS.matcher(text).matches()
        && text.chars().anyMatch(Character::isLowerCase)
        && text.chars().anyMatch(Character::isUpperCase)
        && text.chars().anyMatch(Character::isDigit);
  }

  /** Returns the text with every run that {@link #looksLikeApiKey} replaced by a mask. */
  static String maskKeyShaped(String text) {
    Matcher run = KEY_CHARACTERS.matcher(text);
    StringBuilder masked = new StringBuilder();
    while (run.find()) {
      run.appendReplacement(masked, looksLikeApiKey(run.group()) ? "****" : "$0");
    }
    run.appendTail(masked);
    return masked.toString();
  }

  private static String escape(int c) {
    switch (c) {
      case '"':
        return "\\\"";
      case '\\':
        return "\\\\";
      case '\n':
        return "\\n";
      case '\t':
        return "\\t";
      case '\r':
        return "\\r";
      default:
        return Character.isISOControl(c)
            ? String.format("\\u%04x", c)
            : new String(Character.toChars(c));
    }
  }
}
