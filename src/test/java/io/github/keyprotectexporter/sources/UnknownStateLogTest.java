package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnknownStateLogTest {

  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";

  @Test
  void logsRawValueOncePerUnit() {
    UnknownStateLog unknownStates = new UnknownStateLog();
    List<CryptoUnit> units =
        List.of(CryptoUnit.of("u1", "Quantum-Entangled"), CryptoUnit.of("u2", "kms-initialized"));

    try (CapturedLogs logs = new CapturedLogs()) {
      unknownStates.record(INSTANCE, units);
      unknownStates.record(INSTANCE, units);

      assertThat(logs.messages(Level.WARN))
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains(INSTANCE)
          .contains("u1")
          .contains("\"Quantum-Entangled\"");
    }
  }

  @Test
  void logsAgainForNewValueUnitOrInstance() {
    UnknownStateLog unknownStates = new UnknownStateLog();

    try (CapturedLogs logs = new CapturedLogs()) {
      unknownStates.record(INSTANCE, List.of(CryptoUnit.of("u1", "new-state")));
      unknownStates.record(INSTANCE, List.of(CryptoUnit.of("u1", "newer-state")));
      unknownStates.record(INSTANCE, List.of(CryptoUnit.of("u2", "new-state")));
      unknownStates.record("other", List.of(CryptoUnit.of("u1", "new-state")));

      assertThat(logs.messages(Level.WARN)).hasSize(4);
    }
  }

  @Test
  void logsMissingState() {
    UnknownStateLog unknownStates = new UnknownStateLog();

    try (CapturedLogs logs = new CapturedLogs()) {
      unknownStates.record(INSTANCE, List.of(CryptoUnit.of("u1", null)));

      assertThat(logs.messages(Level.WARN))
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("reports no state");
    }
  }

  @Test
  void cleansRawValueInLog() {
    UnknownStateLog unknownStates = new UnknownStateLog();

    try (CapturedLogs logs = new CapturedLogs()) {
      unknownStates.record(INSTANCE, List.of(CryptoUnit.of("u1", "bad\nWARN forged line")));

      assertThat(logs.messages(Level.WARN))
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("\"bad WARN forged line\"");
    }
  }

  @Test
  void forgetsOldestBeyondBound() {
    UnknownStateLog unknownStates = new UnknownStateLog(2);

    try (CapturedLogs logs = new CapturedLogs()) {
      unknownStates.record(INSTANCE, List.of(CryptoUnit.of("u1", "x")));
      unknownStates.record(INSTANCE, List.of(CryptoUnit.of("u2", "x")));
      unknownStates.record(INSTANCE, List.of(CryptoUnit.of("u3", "x")));
      unknownStates.record(INSTANCE, List.of(CryptoUnit.of("u3", "x")));
      unknownStates.record(INSTANCE, List.of(CryptoUnit.of("u1", "x")));

      assertThat(logs.messages(Level.WARN))
          .hasSize(4)
          .last(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("u1");
    }
  }
}
