package io.github.keyprotectexporter.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns a master-key check value, as an HSM administrator tool reports it, into the short hash that
 * the agent exports and logs instead of the value itself.
 *
 * <pre>{@code
 * String hash = MasterKeyCheckValues.hash("9A3F0C"); // 8 hex digits of SHA-256
 * }</pre>
 */
public final class MasterKeyCheckValues {

  /** Number of hex digits of the SHA-256 digest kept in a hash. */
  public static final int HASH_HEX_DIGITS = 8;

  private static final Pattern HEX = Pattern.compile("[0-9A-Fa-f]+");

  private MasterKeyCheckValues() {}

  /**
   * Returns the value that two units must share to hold the same master key. It is the reported
   * value without surrounding white space, in lower case when it consists of hex digits only,
   * because tools differ in the case they print hex in.
   *
   * @return the normalised value, or null for null or blank input
   */
  public static String normalize(String checkValue) {
    if (checkValue == null || checkValue.isBlank()) {
      return null;
    }
    String stripped = checkValue.strip();
    return HEX.matcher(stripped).matches() ? stripped.toLowerCase(Locale.ROOT) : stripped;
  }

  /**
   * Returns the first {@value #HASH_HEX_DIGITS} lower-case hex digits of the SHA-256 digest of the
   * normalised value, or null for null or blank input.
   */
  public static String hash(String checkValue) {
    String normalized = normalize(checkValue);
    if (normalized == null) {
      return null;
    }
    byte[] digest = sha256().digest(normalized.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().formatHex(digest).substring(0, HASH_HEX_DIGITS);
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256, so this is a broken runtime.
      throw new IllegalStateException("SHA-256 is not available in this Java runtime", e);
    }
  }
}
