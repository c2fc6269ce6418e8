package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.sources.ProbeFailureReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final InstanceConfig INSTANCE = new InstanceConfig(
      "7f3e9b10-5c2d-4a8e-b1f0-00000000beef", "payments-prod", "us-south", false,
      URI.create("http://127.0.0.1:1"));

  private static InstanceSnapshot polled(UnitSnapshot... units) {
    return new InstanceSnapshot(INSTANCE, Arrays.asList(units), NOW, NOW.plusSeconds(90), true,
        true, Duration.ofMillis(12), null, null);
  }

  private static UnitSnapshot unit(String id, CryptoUnitState state) {
    return new UnitSnapshot(id, state, NOW, state.isServing());
  }

  @Test
  void allServingIsOk() {
    Verdict verdict = Verdict.of(polled(unit("u1", CryptoUnitState.KMS_INITIALIZED),
        unit("u2", CryptoUnitState.KMS_INITIALIZED)), NOW);

    assertThat(verdict.status()).isEqualTo(Verdict.Status.OK);
    assertThat(verdict.reasons()).isEmpty();
  }

  @Test
  void oneServingUnitIsWarning() {
    Verdict verdict = Verdict.of(polled(unit("u1", CryptoUnitState.KMS_INITIALIZED),
        unit("u2", CryptoUnitState.MAINTENANCE)), NOW);

    assertThat(verdict.status()).isEqualTo(Verdict.Status.WARNING);
    assertThat(verdict.reasons()).contains(
        "single point of failure: only one serving crypto unit",
        "1 crypto unit(s) in maintenance");
  }

  @Test
  void noServingUnitIsCritical() {
    Verdict verdict = Verdict.of(polled(unit("u1", CryptoUnitState.MAINTENANCE),
        unit("u2", CryptoUnitState.RESERVED)), NOW);

    assertThat(verdict.status()).isEqualTo(Verdict.Status.CRITICAL);
    assertThat(verdict.status().exitCode()).isEqualTo(2);
  }

  @Test
  void zeroUnitsIsCritical() {
    assertThat(Verdict.of(polled(), NOW).status()).isEqualTo(Verdict.Status.CRITICAL);
  }

  @Test
  void failedPollIsUnknown() {
    InstanceSnapshot failed = new InstanceSnapshot(INSTANCE, List.of(), null, null, true, false,
        Duration.ofMillis(5), PollErrorReason.TIMEOUT, "no response within 10s");

    Verdict verdict = Verdict.of(failed, NOW);

    assertThat(verdict.status()).isEqualTo(Verdict.Status.UNKNOWN);
    assertThat(verdict.status().exitCode()).isEqualTo(3);
    assertThat(verdict.reasons()).containsExactly("poll failed (timeout): no response within 10s");
  }

  private static ProbeSnapshot failedProbe(ProbeFailureReason reason) {
    return new ProbeSnapshot(INSTANCE.id(), NOW, Duration.ofMillis(40), reason, "HEAD failed");
  }

  @Test
  void probeServerErrorIsCriticalDespiteServingUnits() {
    InstanceSnapshot serving = polled(unit("u1", CryptoUnitState.KMS_INITIALIZED),
        unit("u2", CryptoUnitState.KMS_INITIALIZED));

    Verdict verdict =
        Verdict.of(serving, failedProbe(ProbeFailureReason.NO_HEALTHY_UPSTREAM), NOW);

    assertThat(verdict.status()).isEqualTo(Verdict.Status.CRITICAL);
    assertThat(verdict.reasons())
        .containsExactly("key-operation probe failed (no_healthy_upstream): HEAD failed");
  }

  @Test
  void otherProbeFailureIsWarning() {
    InstanceSnapshot serving = polled(unit("u1", CryptoUnitState.KMS_INITIALIZED),
        unit("u2", CryptoUnitState.KMS_INITIALIZED));

    Verdict verdict = Verdict.of(serving, failedProbe(ProbeFailureReason.AUTH), NOW);

    assertThat(verdict.status()).isEqualTo(Verdict.Status.WARNING);
    assertThat(verdict.reasons()).containsExactly("key-operation probe failed (auth): HEAD failed");
  }

  @Test
  void probeFailureKeepsWorseUnitVerdict() {
    Verdict verdict = Verdict.of(polled(), failedProbe(ProbeFailureReason.TIMEOUT), NOW);

    assertThat(verdict.status()).isEqualTo(Verdict.Status.CRITICAL);
    assertThat(verdict.reasons())
        .containsExactly(
            "key-operation probe failed (timeout): HEAD failed",
            "no serving crypto unit: key operations fail");
  }

  @Test
  void successfulProbeKeepsUnitVerdict() {
    InstanceSnapshot serving = polled(unit("u1", CryptoUnitState.KMS_INITIALIZED),
        unit("u2", CryptoUnitState.KMS_INITIALIZED));
    ProbeSnapshot probe = ProbeSnapshot.succeeded(INSTANCE.id(), NOW, Duration.ofMillis(40));

    assertThat(Verdict.of(serving, probe, NOW)).isEqualTo(Verdict.of(serving, NOW));
  }

  @Test
  void worstPrefersCriticalOverUnknown() {
    Verdict critical = new Verdict(Verdict.Status.CRITICAL, List.of());
    Verdict unknown = new Verdict(Verdict.Status.UNKNOWN, List.of());
    Verdict warning = new Verdict(Verdict.Status.WARNING, List.of());

    assertThat(Verdict.worst(List.of(warning, critical, unknown))).isEqualTo(Verdict.Status.CRITICAL);
    assertThat(Verdict.worst(List.of(warning, unknown))).isEqualTo(Verdict.Status.UNKNOWN);
    assertThat(Verdict.worst(List.of())).isEqualTo(Verdict.Status.OK);
  }

  @Test
  void reportListsUnitsAndSummary() {
    StringWriter text = new StringWriter();

    Verdict.Status status = OnceReport.print(List.of(polled(
        unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000a1", CryptoUnitState.KMS_INITIALIZED),
        unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000a2", CryptoUnitState.KMS_INITIALIZED))),
        NOW, new PrintWriter(text));

    assertThat(status).isEqualTo(Verdict.Status.OK);
    assertThat(text.toString())
        .contains("Instance 7f3e9b10-5c2d-4a8e-b1f0-00000000beef payments-prod (us-south): OK")
        .contains("4d1c2a9e-0b7f-4e61-9c3a-0000000000a2  kms-initialized   yes")
        .startsWith("OK - 1 instance(s) checked: 1 ok" + System.lineSeparator());
  }
}
