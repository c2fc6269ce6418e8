package io.github.keyprotectexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.testing.DocumentMutations;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

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

  @Provide
  Arbitrary<String> durationTexts() {
    Arbitrary<String> units = Arbitraries.of("ms", "s", "m", "h", "d", "", "us", "M", "x");
    Arbitrary<String> parts = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(25)
        .flatMap(digits -> units.map(unit -> digits + unit));
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(40),
        parts.list().ofMaxSize(4).map(list -> String.join("", list)),
        DocumentMutations.textMutationsOf("1h30m"));
  }

  @Provide
  Arbitrary<String> configTexts() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(300),
        DocumentMutations.jsonTrees(),
        DocumentMutations.textMutationsOf(CONFIG));
  }

  @Property(tries = TRIES)
  void durationParsesOrExplains(@ForAll("durationTexts") String text) {
    try {
      Duration duration = Durations.parse(text);
      assertThat(duration.isNegative()).isFalse();
      assertThat(duration).isLessThanOrEqualTo(Durations.MAX);
    } catch (IllegalArgumentException e) {
      assertThat(e.getMessage()).isNotBlank();
    }
  }

  @Property(tries = TRIES)
  void configLoadsOrExplains(@ForAll("configTexts") String yaml) {
    try {
      ExporterConfig config = new ConfigLoader().parse(yaml, "test.yaml");
      assertThat(config.instances()).isNotEmpty();
    } catch (ConfigException e) {
      assertThat(e.errors()).isNotEmpty();
    }
  }
}
