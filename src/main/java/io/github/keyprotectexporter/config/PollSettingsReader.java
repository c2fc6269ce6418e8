package io.github.keyprotectexporter.config;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** Reads and checks the {@code poll} section. Absent keys take {@link PollSettings#DEFAULTS}. */
final class PollSettingsReader {

  static final List<String> KEYS =
      List.of("interval", "timeout", "stale_after", "warm_up", "concurrency");

  /** Maximum polls in flight. Each uses one HTTP connection, so far more would flood the API. */
  static final int MAX_CONCURRENCY = 1024;

  private PollSettingsReader() {}

  static PollSettings read(ConfigNode poll) {
    PollSettings defaults = PollSettings.DEFAULTS;
    if (!poll.isMapping(KEYS)) {
      return defaults;
    }
    poll.allowOnlyKeys(KEYS);
    Optional<Duration> interval = poll.get("interval").duration(defaults.interval());
    Optional<Duration> timeout = poll.get("timeout").duration(defaults.timeout());
    Optional<Duration> staleAfter = poll.get("stale_after").duration(defaults.staleAfter());
    Optional<Duration> warmUp = poll.get("warm_up").duration(defaults.warmUp());
    Optional<Integer> concurrency = readConcurrency(poll.get("concurrency"));

    interval.ifPresent(value -> checkInterval(poll.get("interval"), value));
    timeout.ifPresent(value -> checkTimeout(poll.get("timeout"), value, interval));
    staleAfter.ifPresent(value -> checkStaleAfter(poll.get("stale_after"), value, interval));
    return new PollSettings(
        interval.orElse(defaults.interval()),
        timeout.orElse(defaults.timeout()),
        staleAfter.orElse(defaults.staleAfter()),
        warmUp.orElse(defaults.warmUp()),
        concurrency.orElse(defaults.concurrency()));
  }

  private static void checkInterval(ConfigNode node, Duration interval) {
    if (interval.isZero()) {
      node.error(
          "0s is not allowed. The interval between two polls must be greater than zero,"
              + " for example 30s");
    }
  }

  private static void checkTimeout(ConfigNode node, Duration timeout, Optional<Duration> interval) {
    if (timeout.isZero()) {
      node.error(
          "0s is not allowed. The timeout of one request must be greater than zero, for"
              + " example 10s");
      return;
    }
    // A zero interval has its own error, so comparing with it would only add noise.
    if (interval.isPresent() && !interval.get().isZero() && timeout.compareTo(interval.get()) > 0) {
      String limit = Durations.format(interval.get());
      node.error(
          Durations.format(timeout)
              + " is longer than poll.interval ("
              + limit
              + "). A poll must end before the next one starts, so set the timeout to at most "
              + limit
              + " or raise the interval");
    }
  }

  private static void checkStaleAfter(
      ConfigNode node, Duration staleAfter, Optional<Duration> interval) {
    if (interval.isEmpty() || interval.get().isZero()) {
      return;
    }
    String shown = Durations.format(staleAfter);
    String limit = Durations.format(interval.get());
    if (staleAfter.compareTo(interval.get()) < 0) {
      node.error(
          shown
              + " is shorter than poll.interval ("
              + limit
              + "), so every instance would"
              + " go stale between two polls. Set stale_after to at least "
              + limit
              + ", usually three intervals ("
              + Durations.format(threeTimes(interval.get()))
              + ")");
    } else if (staleAfter.compareTo(interval.get().multipliedBy(2)) < 0) {
      node.warn(
          shown
              + " is less than two intervals of "
              + limit
              + ", so one late poll marks an instance stale. Consider "
              + Durations.format(threeTimes(interval.get())));
    }
  }

  private static Duration threeTimes(Duration interval) {
    Duration tripled = interval.multipliedBy(3);
    return tripled.compareTo(Durations.MAX) > 0 ? Durations.MAX : tripled;
  }

  private static Optional<Integer> readConcurrency(ConfigNode node) {
    String allowed = "a whole number from 1 to " + MAX_CONCURRENCY;
    Optional<Integer> concurrency = node.integer(PollSettings.DEFAULTS.concurrency(), allowed);
    if (concurrency.isPresent() && (concurrency.get() < 1 || concurrency.get() > MAX_CONCURRENCY)) {
      node.error(
          concurrency.get()
              + " is out of range. Allowed: 1 to "
              + MAX_CONCURRENCY
              + ". It"
              + " is the maximum number of polls in flight at once: 1 polls the instances one after"
              + " another, and more than "
              + MAX_CONCURRENCY
              + " connections at once would only flood the API");
      return Optional.empty();
    }
    return concurrency;
  }
}
