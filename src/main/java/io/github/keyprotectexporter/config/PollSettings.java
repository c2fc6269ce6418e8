package io.github.keyprotectexporter.config;

import java.time.Duration;

/**
 * How often and how hard the agent polls.
 *
 * @param interval time between two polls of one instance
 * @param timeout limit for one HTTP request
 * @param staleAfter age after which the last good units of an instance stop being exported
 * @param warmUp time a unit must stay {@code kms-initialized} before it counts as serving
 * @param concurrency maximum number of polls in flight at once, across all instances
 */
public record PollSettings(
    Duration interval, Duration timeout, Duration staleAfter, Duration warmUp, int concurrency) {

  public static final PollSettings DEFAULTS =
      new PollSettings(
          Duration.ofSeconds(30),
          Duration.ofSeconds(10),
          Duration.ofSeconds(90),
          Duration.ofMinutes(5),
          8);
}
