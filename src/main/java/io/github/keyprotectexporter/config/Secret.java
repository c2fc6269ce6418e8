package io.github.keyprotectexporter.config;

import java.util.HashSet;
import java.util.Objects;
import java.util.Set;

/**
 * A credential such as an API key or a token. {@link #toString()} is masked so that a secret
 * passed to a logger, a message or a record's generated {@code toString} is not revealed.
 */
public final class Secret {

  /**
   * Shortest run of a secret's characters that is masked when it appears alone, in any letter
   * case. A server may echo only part of a key, or change its case. A run of 8 characters of a
   * random key is unlikely to occur in an innocent message by chance.
   */
  public static final int MIN_MASKED_FRAGMENT = 8;

  private static final String MASK = "****";

  private final String value;
  private final Set<String> fragments;

  public Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
    this.fragments = fragmentsOf(value);
  }

  /** Returns the secret itself; call only where it is sent to the service that needs it. */
  public String reveal() {
    return value;
  }

  /**
   * Returns true when {@code text} contains this secret or a run of at least {@link
   * #MIN_MASKED_FRAGMENT} of its consecutive characters, ignoring case, for callers that scrub
   * text. A secret shorter than that counts only as a whole, with its case.
   */
  public boolean occursIn(String text) {
    return text != null && !value.isEmpty() && !text.equals(maskIn(text));
  }

  /**
   * Returns {@code text} with this secret, and every run of at least {@link #MIN_MASKED_FRAGMENT}
   * of its consecutive characters in any letter case, replaced by a mask. Adjacent or overlapping
   * runs become one mask.
   */
  public String maskIn(String text) {
    if (text == null || value.isEmpty()) {
      return text;
    }
    if (fragments.isEmpty()) {
      return text.replace(value, MASK);
    }
    boolean[] covered = coveredChars(text);
    StringBuilder masked = new StringBuilder(text.length());
    for (int i = 0; i < text.length(); i++) {
      if (!covered[i]) {
        masked.append(text.charAt(i));
      } else if (i == 0 || !covered[i - 1]) {
        masked.append(MASK);
      }
    }
    return masked.toString();
  }

  /** Marks the characters of {@code text} that lie in a window equal to one of the fragments. */
  private boolean[] coveredChars(String text) {
    boolean[] covered = new boolean[text.length()];
    String lower = lowerCase(text);
    for (int start = 0; start + MIN_MASKED_FRAGMENT <= lower.length(); start++) {
      if (fragments.contains(lower.substring(start, start + MIN_MASKED_FRAGMENT))) {
        for (int i = start; i < start + MIN_MASKED_FRAGMENT; i++) {
          covered[i] = true;
        }
      }
    }
    return covered;
  }

  /**
   * Returns every window of {@link #MIN_MASKED_FRAGMENT} characters of {@code value}, lower case.
   * Every longer common run is a chain of such windows, so matching them finds all runs.
   */
  private static Set<String> fragmentsOf(String value) {
    Set<String> windows = new HashSet<>();
    String lower = lowerCase(value);
    for (int start = 0; start + MIN_MASKED_FRAGMENT <= lower.length(); start++) {
      windows.add(lower.substring(start, start + MIN_MASKED_FRAGMENT));
    }
    return windows;
  }

  /** Lower-cases char by char, so that indexes stay those of the original text. */
  private static String lowerCase(String text) {
    char[] chars = text.toCharArray();
    for (int i = 0; i < chars.length; i++) {
      chars[i] = Character.toLowerCase(chars[i]);
    }
    return new String(chars);
  }

  @Override
  public String toString() {
    return MASK;
  }
}
