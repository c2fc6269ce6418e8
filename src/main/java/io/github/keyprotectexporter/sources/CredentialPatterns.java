package io.github.keyprotectexporter.sources;

import java.util.regex.Pattern;

/**
 * Masks text that looks like a credential even when its value is not known here: the value after
 * {@code Bearer}, and JSON Web Tokens such as IAM access tokens. Known secrets are masked by value
 * with {@link io.github.keyprotectexporter.config.Secret#maskIn(String)}.
 */
final class CredentialPatterns {

  private static final Pattern BEARER = Pattern.compile("(?i)(bearer\\s+)[^\\s\"',;]+");
  private static final Pattern JWT =
      Pattern.compile("eyJ[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]{4,}\\.[A-Za-z0-9_-]*");

  private CredentialPatterns() {}

  static String mask(String text) {
    if (text == null) {
      return null;
    }
    String masked = BEARER.matcher(text).replaceAll("$1****");
    return JWT.matcher(masked).replaceAll("****");
  }
}
