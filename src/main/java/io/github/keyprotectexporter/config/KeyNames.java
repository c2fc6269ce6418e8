package io.github.keyprotectexporter.config;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Rules about the key names in a configuration file, as opposed to their values. */
final class KeyNames {

  private static final int MAX_TYPO_DISTANCE = 2;

  private KeyNames() {}

  /**
   * Returns true for a key that would hold the API key itself, such as {@code api_key}, {@code
   * apiKey} or {@code ibmcloud-api-key}, but not {@code api_key_env} or {@code api_key_file}.
   */
  static boolean isInlineApiKey(String key) {
    String folded = key.toLowerCase(Locale.ROOT).replace("_", "").replace("-", "");
    return folded.endsWith("apikey");
  }

  /** Returns the valid key closest to a misspelt one, if it is only a typo away. */
  static Optional<String> closest(String key, List<String> validKeys) {
    String best = null;
    int bestDistance = MAX_TYPO_DISTANCE + 1;
    for (String valid : validKeys) {
      int distance = editDistance(key.toLowerCase(Locale.ROOT), valid);
      if (distance < bestDistance) {
        best = valid;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Counts the single-character insertions, deletions and substitutions from a to b. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
