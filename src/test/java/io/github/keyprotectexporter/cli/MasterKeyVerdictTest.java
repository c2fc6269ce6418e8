package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.model.MasterKeyCheckValues;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The {@code once} verdict and report for units that report master-key check values. */
class MasterKeyVerdictTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final InstanceConfig INSTANCE = new InstanceConfig(
      "7f3e9b10-5c2d-4a8e-b1f0-00000000beef", "payments-prod", "us-south", false,
      URI.create("http://127.0.0.1:1"));
  private static final String HASH_A = MasterKeyCheckValues.hash("9A3F0C");
  private static final String HASH_B = MasterKeyCheckValues.hash("E51D77");

  private static InstanceSnapshot polled(UnitSnapshot... units) {
    return new InstanceSnapshot(INSTANCE, List.of(units), NOW, NOW.plusSeconds(90), true,
        true, Duration.ofMillis(12), null, null);
  }

  private static UnitSnapshot serving(String id, String checkValueHash) {
    return new UnitSnapshot(id, CryptoUnitState.KMS_INITIALIZED, NOW, true, checkValueHash, null);
  }

  @Test
  void differentCheckValuesAreCritical() {
    Verdict verdict = Verdict.of(polled(serving("u1", HASH_A), serving("u2", HASH_B)), NOW);

    assertThat(verdict.status()).isEqualTo(Verdict.Status.CRITICAL);
    assertThat(verdict.reasons()).containsExactly("MISMATCH: the crypto units report 2 different"
        + " master-key check values (hashes " + String.join(", ", List.of(HASH_A, HASH_B).stream()
            .sorted().toList()) + "); key operations fail with HTTP 500 or 503");
  }

  @Test
  void sameCheckValueIsOk() {
    Verdict verdict = Verdict.of(polled(serving("u1", HASH_A), serving("u2", HASH_A)), NOW);

    assertThat(verdict.status()).isEqualTo(Verdict.Status.OK);
  }

  @Test
  void reportShowsHashPerUnit() {
    StringWriter text = new StringWriter();

    OnceReport.print(List.of(polled(serving("u1", HASH_A), serving("u2", HASH_B),
        new UnitSnapshot("u3", CryptoUnitState.MAINTENANCE, NOW, false))), NOW,
        new PrintWriter(text));

    assertThat(text.toString())
        .contains("): CRITICAL")
        .contains("  - MISMATCH: the crypto units report 2 different master-key check values")
        .contains("  CRYPTO UNIT  STATE             SERVING  CHECK VALUE HASH")
        .contains("  u1           kms-initialized   yes      " + HASH_A)
        .contains("  u2           kms-initialized   yes      " + HASH_B)
        .contains("  u3           maintenance       no       -")
        .doesNotContain("9A3F0C");
  }

  @Test
  void reportOmitsHashColumnWithoutValues() {
    StringWriter text = new StringWriter();

    OnceReport.print(List.of(polled(
        new UnitSnapshot("u1", CryptoUnitState.KMS_INITIALIZED, NOW, true))), NOW,
        new PrintWriter(text));

    assertThat(text.toString())
        .contains("  CRYPTO UNIT  STATE             SERVING" + System.lineSeparator())
        .contains("  u1           kms-initialized   yes" + System.lineSeparator())
        .doesNotContain("CHECK VALUE");
  }
}
