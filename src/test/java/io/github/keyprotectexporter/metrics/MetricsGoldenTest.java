package io.github.keyprotectexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;

/**
 * Compares the whole text exposition of {@link SampleStore} with a golden file.
 *
 * <p>To regenerate the file after an intended change, run {@code mvn -o test
 * -Dtest=MetricsGoldenTest -Dgolden.update=true} and review the diff of {@code
 * src/test/resources/metrics/sample-store.prom} before committing it.
 */
class MetricsGoldenTest {

  @Test
  void textMatchesGoldenFile() throws IOException {
    String actual = Exposition.text(Exposition.sampleMetrics().registry());

    if (Boolean.getBoolean("golden.update")) {
      Files.writeString(Exposition.GOLDEN, actual, StandardCharsets.UTF_8);
    }

    assertThat(actual).isEqualTo(Exposition.golden());
  }
}
