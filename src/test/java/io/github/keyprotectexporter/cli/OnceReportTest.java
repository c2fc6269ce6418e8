package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import io.github.keyprotectexporter.sources.PollErrorReason;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OnceReportTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final InstanceConfig INSTANCE = new InstanceConfig(
      "7f3e9b10-5c2d-4a8e-b1f0-00000000beef", "payments-prod", "us-south", false,
      URI.create("http://127.0.0.1:1"));

  private static String print(InstanceSnapshot snapshot) {
    StringWriter text = new StringWriter();
    OnceReport.print(List.of(snapshot), NOW, new PrintWriter(text));
    return text.toString();
  }

  @Test
  void escapesTerminalSequencesInUnitIds() {
    String clearScreen = "\u001b[2J\u001b[Hu1";
    InstanceSnapshot snapshot = new InstanceSnapshot(INSTANCE,
        List.of(new UnitSnapshot(clearScreen, CryptoUnitState.KMS_INITIALIZED, NOW, true),
            new UnitSnapshot("u2\u202Eevil", CryptoUnitState.KMS_INITIALIZED, NOW, true)),
        NOW, NOW.plusSeconds(90), true, true, Duration.ofMillis(12), null, null);

    String report = print(snapshot);

    assertThat(report).doesNotContain("\u001b").doesNotContain("\u202E");
    assertThat(report).contains("  \\u001B[2J\\u001B[Hu1  kms-initialized   yes");
    assertThat(report).contains("  u2\\u202Eevil" + " ".repeat(9) + "kms-initialized   yes");
  }

  @Test
  void keepsFailureReasonOnOneLine() {
    InstanceSnapshot snapshot = new InstanceSnapshot(INSTANCE, List.of(), null, null, true, false,
        Duration.ofMillis(12), PollErrorReason.SERVER_ERROR,
        "HTTP 503\nOK - 0 instance(s) checked");

    String report = print(snapshot);

    assertThat(report).contains("HTTP 503\\u000AOK - 0 instance(s) checked");
    assertThat(report.lines().filter(line -> line.startsWith("OK"))).isEmpty();
  }
}
