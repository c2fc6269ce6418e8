package io.github.keyprotectexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DurationsTest {

  @Nested
  class Parse {

    @ParameterizedTest(name = "{0} is {1} ms")
    @CsvSource({
      "0s, 0",
      "0ms, 0",
      "500ms, 500",
      "30s, 30000",
      "5m, 300000",
      "1h, 3600000",
      "1d, 86400000",
      "1w, 604800000",
      "1y, 31536000000",
      "1m30s, 90000",
      "1h30m, 5400000",
      "1d2h3m4s5ms, 93784005",
      "90s, 90000",
      "007s, 7000",
    })
    void parsesValidDuration(String text, long millis) {
      assertThat(Durations.parse(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(
        delimiter = '|',
        value = {
          "-5s | negative durations are not allowed",
          "30 | the number has no unit, so write 30s for 30 seconds",
          "0 | the number has no unit, so write 0s for 0 seconds",
          "1m30 | the last number has no unit, so write 30s",
          "30s1m | units must go from the largest to the smallest",
          "1ms1s | units must go from the largest to the smallest",
          "1m1m | the unit m appears twice",
          "5min | unknown unit \"min\"",
          "5S | unknown unit \"S\"",
          "1.5m | fractions are not allowed",
          "s | unexpected character \"s\" at position 1, where a number should start",
          "' 30s' | unexpected character \" \" at position 1, where a number should start",
          "'30s ' | unexpected character \" \" at position 4, where a number should start",
          "+30s | unexpected character \"+\" at position 1",
          "1m:30s | unexpected character \":\" at position 3",
          "300000y | larger than the maximum of 292y",
          "99999999999999999999s | larger than the maximum",
          "10675199d | larger than the maximum",
        })
    void rejectsInvalidDuration(String text, String problem) {
      assertThatThrownBy(() -> Durations.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("invalid duration \"" + text + "\": ")
          .hasMessageContaining(problem)
          .hasMessageEndingWith("Valid examples: " + Durations.EXAMPLES);
    }

    @Test
    void rejectsEmptyText() {
      assertThatThrownBy(() -> Durations.parse(""))
          .hasMessage("invalid duration \"\": it is empty. Valid examples: " + Durations.EXAMPLES);
    }

    @Test
    void acceptsMaximum() {
      assertThat(Durations.parse(Durations.format(Durations.MAX))).isEqualTo(Durations.MAX);
    }

    @Test
    void escapesControlCharactersInMessage() {
      assertThatThrownBy(() -> Durations.parse("5\n"))
          .hasMessageStartingWith("invalid duration \"5\\n\": ");
    }
  }

  @Nested
  class Format {

    @ParameterizedTest(name = "{0} ms is {1}")
    @CsvSource({
      "0, 0s",
      "1, 1ms",
      "500, 500ms",
      "1500, 1s500ms",
      "30000, 30s",
      "90000, 1m30s",
      "300000, 5m",
      "3600000, 1h",
      "86400000, 1d",
      "691200000, 1w1d",
      "31536000000, 1y",
    })
    void formatsLargestUnitsFirst(long millis, String text) {
      assertThat(Durations.format(Duration.ofMillis(millis))).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource({"0s", "750ms", "1m30s", "2h15m", "3d", "1y2w3d4h5m6s7ms"})
    void roundTrips(String text) {
      assertThat(Durations.format(Durations.parse(text))).isEqualTo(text);
    }

    @Test
    void dropsPartBelowOneMillisecond() {
      assertThat(Durations.format(Duration.ofNanos(1_500_000))).isEqualTo("1ms");
    }

    @Test
    void rejectsNegativeDuration() {
      assertThatThrownBy(() -> Durations.format(Duration.ofSeconds(-1)))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("PT-1S");
    }
  }
}
