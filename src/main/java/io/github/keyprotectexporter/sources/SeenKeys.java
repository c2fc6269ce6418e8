package io.github.keyprotectexporter.sources;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A thread-safe, bounded set of keys already seen, used to log a repeating event once. When full it
 * forgets the least recently seen key, so an event that stops and comes back much later may be
 * logged again.
 */
final class SeenKeys<K> {

  private final Map<K, Boolean> seen;

  SeenKeys(int maxKeys) {
    if (maxKeys < 1) {
      throw new IllegalArgumentException("maxKeys must be at least 1, got " + maxKeys);
    }
    this.seen =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<K, Boolean> eldest) {
            return size() > maxKeys;
          }
        };
  }

  /** Records {@code key} and returns true when it was not seen before (or was forgotten). */
  synchronized boolean firstSeen(K key) {
    return seen.put(key, Boolean.TRUE) == null;
  }
}
