package io.github.keyprotectexporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ScenarioDurationsTest {

  @ParameterizedTest
  @CsvSource({
    "20s, PT20S",
    "1m, PT1M",
    "1m30s, PT1M30S",
    "250ms, PT0.25S",
    "2h, PT2H",
    "1d, PT24H",
    "1w, PT168H",
    "1y, PT8760H",
    "0s, PT0S"
  })
  void parsesPrometheusDurations(String text, String expected) {
    assertThat(ScenarioDurations.parse(text)).contains(Duration.parse(expected));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "soon", "20", "s", "30s1m", "1.5s", "-5s", "20 s", "20S"})
  void rejectsOtherText(String text) {
    assertThat(ScenarioDurations.parse(text)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"99999999999999999999s", "999999999999999y"})
  void rejectsOverflowingValues(String text) {
    assertThat(ScenarioDurations.parse(text)).isEmpty();
  }
}
