package io.github.keyprotectexporter.config;

import static io.github.keyprotectexporter.config.Configs.LOCAL_IAM_AND_INSTANCE;
import static io.github.keyprotectexporter.config.Configs.onlyErrorOf;
import static io.github.keyprotectexporter.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Checks of the poll section, each through the whole loader. */
class PollSettingsTest {

  private static String withPoll(String pollKeys) {
    return LOCAL_IAM_AND_INSTANCE + "poll:\n" + pollKeys.indent(2);
  }

  @Test
  void absentKeysTakeDefaults() throws Exception {
    PollSettings poll = parse(withPoll("timeout: 5s")).poll();

    assertThat(poll)
        .isEqualTo(
            new PollSettings(
                PollSettings.DEFAULTS.interval(),
                Duration.ofSeconds(5),
                PollSettings.DEFAULTS.staleAfter(),
                PollSettings.DEFAULTS.warmUp(),
                PollSettings.DEFAULTS.concurrency()));
  }

  @Test
  void zeroWarmUpIsAllowed() throws Exception {
    assertThat(parse(withPoll("warm_up: 0s")).poll().warmUp()).isZero();
  }

  @Test
  void timeoutEqualToIntervalIsAllowed() throws Exception {
    assertThat(parse(withPoll("interval: 10s\ntimeout: 10s\nstale_after: 30s")).poll().timeout())
        .isEqualTo(Duration.ofSeconds(10));
  }

  @Test
  void invalidDurationNamesPathAndValue() {
    assertThat(onlyErrorOf(withPoll("interval: 30secs")))
        .isEqualTo(
            "poll.interval: invalid duration \"30secs\": unknown unit \"secs\", the units are"
                + " y, w, d, h, m, s and ms in lower case. Valid examples: "
                + Durations.EXAMPLES);
  }

  @Test
  void bareNumberAsksForUnit() {
    assertThat(onlyErrorOf(withPoll("timeout: 10")))
        .isEqualTo(
            "poll.timeout: invalid duration \"10\": the number has no unit, so write 10s"
                + " for 10 seconds. Valid examples: "
                + Durations.EXAMPLES);
  }

  @Test
  void negativeDurationIsRejected() {
    assertThat(onlyErrorOf(withPoll("warm_up: -1m")))
        .startsWith("poll.warm_up: invalid duration \"-1m\": negative durations are not allowed.");
  }

  @Test
  void listInsteadOfDurationNamesType() {
    assertThat(onlyErrorOf(withPoll("stale_after: [90s]")))
        .isEqualTo(
            "poll.stale_after: expected a duration such as "
                + Durations.EXAMPLES
                + ", found a list");
  }

  @Test
  void zeroIntervalIsRejected() {
    assertThat(onlyErrorOf(withPoll("interval: 0s")))
        .startsWith(
            "poll.interval: 0s is not allowed. The interval between two polls must be"
                + " greater than zero");
  }

  @Test
  void zeroTimeoutIsRejected() {
    assertThat(onlyErrorOf(withPoll("timeout: 0ms")))
        .isEqualTo(
            "poll.timeout: 0s is not allowed. The timeout of one request must be greater"
                + " than zero, for example 10s");
  }

  @Test
  void timeoutLongerThanIntervalIsRejected() {
    assertThat(onlyErrorOf(withPoll("interval: 20s\ntimeout: 25s\nstale_after: 1m")))
        .isEqualTo(
            "poll.timeout: 25s is longer than poll.interval (20s). A poll must end before"
                + " the next one starts, so set the timeout to at most 20s or raise the interval");
  }

  @Test
  void timeoutIsComparedWithDefaultInterval() {
    assertThat(onlyErrorOf(withPoll("timeout: 45s")))
        .startsWith("poll.timeout: 45s is longer than poll.interval (30s).");
  }

  @Test
  void staleAfterShorterThanIntervalIsRejected() {
    assertThat(onlyErrorOf(withPoll("interval: 1m\nstale_after: 45s")))
        .isEqualTo(
            "poll.stale_after: 45s is shorter than poll.interval (1m), so every instance"
                + " would go stale between two polls. Set stale_after to at least 1m, usually three"
                + " intervals (3m)");
  }

  @Test
  void staleAfterBelowTwoIntervalsWarns() throws Exception {
    try (LogCapture log = LogCapture.of(ConfigLoader.class)) {
      parse(withPoll("interval: 1m\nstale_after: 1m30s"));

      assertThat(log.warnings())
          .containsExactly(
              "test.yaml: poll.stale_after: 1m30s is less than two intervals of 1m,"
                  + " so one late poll marks an instance stale. Consider 3m");
    }
  }

  @Test
  void invalidIntervalSkipsRelations() {
    assertThat(onlyErrorOf(withPoll("interval: soon\ntimeout: 5m\nstale_after: 1s")))
        .startsWith("poll.interval: invalid duration \"soon\"");
  }

  @Test
  void zeroConcurrencyIsRejected() {
    assertThat(onlyErrorOf(withPoll("concurrency: 0")))
        .isEqualTo(
            "poll.concurrency: 0 is out of range. Allowed: 1 to 1024. It is the maximum"
                + " number of polls in flight at once: 1 polls the instances one after another, and"
                + " more than 1024 connections at once would only flood the API");
  }

  @Test
  void concurrencyAboveLimitIsRejected() {
    assertThat(onlyErrorOf(withPoll("concurrency: 1025")))
        .startsWith("poll.concurrency: 1025 is out of range. Allowed: 1 to 1024.");
  }

  @Test
  void concurrencyLimitsAreAllowed() throws Exception {
    assertThat(parse(withPoll("concurrency: 1")).poll().concurrency()).isEqualTo(1);
    assertThat(parse(withPoll("concurrency: 1024")).poll().concurrency()).isEqualTo(1024);
  }

  @Test
  void fractionalConcurrencyIsRejected() {
    assertThat(onlyErrorOf(withPoll("concurrency: 2.5")))
        .isEqualTo(
            "poll.concurrency: expected a whole number from 1 to 1024, found the number 2.5");
  }

  @Test
  void quotedConcurrencyIsRejected() {
    assertThat(onlyErrorOf(withPoll("concurrency: \"8\"")))
        .isEqualTo(
            "poll.concurrency: expected a whole number from 1 to 1024, found the string \"8\"");
  }

  @Test
  void hugeConcurrencyIsRejectedAsType() {
    assertThat(onlyErrorOf(withPoll("concurrency: 99999999999999999999")))
        .isEqualTo(
            "poll.concurrency: expected a whole number from 1 to 1024, found the number"
                + " 99999999999999999999");
  }

  @Test
  void pollAsScalarIsRejected() {
    assertThat(onlyErrorOf(LOCAL_IAM_AND_INSTANCE + "poll: 30s\n"))
        .isEqualTo(
            "poll: expected a mapping with the keys interval, timeout, stale_after,"
                + " warm_up, concurrency, found the string \"30s\"");
  }

  @Test
  void keyWithoutValueIsRejected() {
    assertThat(onlyErrorOf(withPoll("interval:")))
        .isEqualTo(
            "poll.interval: expected a duration such as "
                + Durations.EXAMPLES
                + ", found no value");
  }
}
