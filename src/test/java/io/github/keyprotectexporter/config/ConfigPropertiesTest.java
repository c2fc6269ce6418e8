package io.github.keyprotectexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.github.keyprotectexporter.testing.DocumentMutations;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Any text makes {@link Durations#parse} return a duration or throw {@link
 * IllegalArgumentException}, and makes the config loader return a config or throw {@link
 * ConfigException}, never another exception.
 */
class ConfigPropertiesTest {

  private static final int TRIES = 500;
  private static final String CONFIG = """
      poll:
        interval: 30s
        timeout: 10s
        stale_after: 5m
        concurrency: 4
      iam:
        url: http://127.0.0.1:9/identity/token
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          name: payments-prod
          region: us-south
          endpoint: http://127.0.0.1:9
          probe:
            enabled: true
            interval: 1m
      """;

  private static final String[] UNITS = {"ms", "s", "m", "h", "d", "", "us", "M", "x"};

  /** Arbitrary text, runs of digits and units such as {@code 0007d12us}, and broken durations. */
  private static Gen<String> durationTexts() {
    return Generate.oneOf(
        strings().allPossible().ofLengthBetween(0, 40),
        DocumentMutations.seeded(ConfigPropertiesTest::digitsAndUnits),
        DocumentMutations.textMutationsOf("1h30m"));
  }

  private static String digitsAndUnits(Random random) {
    StringBuilder text = new StringBuilder();
    int parts = random.nextInt(5);
    for (int i = 0; i < parts; i++) {
      int digits = 1 + random.nextInt(25);
      for (int d = 0; d < digits; d++) {
        text.append((char) ('0' + random.nextInt(10)));
      }
      text.append(UNITS[random.nextInt(UNITS.length)]);
    }
    return text.toString();
  }

  private static Gen<String> configTexts() {
    return Generate.oneOf(
        strings().allPossible().ofLengthBetween(0, 300),
        DocumentMutations.jsonTrees(),
        DocumentMutations.textMutationsOf(CONFIG));
  }

  @Test
  void durationParsesOrExplains() {
    qt().withExamples(TRIES).forAll(durationTexts()).checkAssert(text -> {
      try {
        Duration duration = Durations.parse(text);
        assertThat(duration.isNegative()).isFalse();
        assertThat(duration).isLessThanOrEqualTo(Durations.MAX);
      } catch (IllegalArgumentException e) {
        assertThat(e.getMessage()).isNotBlank();
      }
    });
  }

  @Test
  void configLoadsOrExplains() {
    qt().withExamples(TRIES).forAll(configTexts()).checkAssert(yaml -> {
      try {
        ExporterConfig config = new ConfigLoader().parse(yaml, "test.yaml");
        assertThat(config.instances()).isNotEmpty();
      } catch (ConfigException e) {
        assertThat(e.errors()).isNotEmpty();
      }
    });
  }
}
