package io.github.keyprotectexporter.polling;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.model.CryptoUnitState;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class UnitStateTrackerTest {

  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final Duration WARM_UP = Duration.ofMinutes(5);

  private final UnitStateTracker tracker = new UnitStateTracker("instance-a", WARM_UP);

  @Test
  void unitsServingAtFirstPollCountAsWarm() {
    List<UnitSnapshot> units =
        tracker.update(List.of(CryptoUnit.of("u1", "kms-initialized")), START);

    assertThat(units).singleElement().satisfies(unit -> {
      assertThat(unit.serving()).isTrue();
      assertThat(unit.stateSince()).isEqualTo(START);
    });
  }

  @Test
  void escapesControlCharactersInLoggedIds() {
    String forged = "u2\ncrypto unit disappeared instance_id=instance-a crypto_unit_id=u1\u001b[2J";
    tracker.update(List.of(CryptoUnit.of("u1", "kms-initialized")), START);

    try (CapturedLogs logs = new CapturedLogs()) {
      tracker.update(List.of(CryptoUnit.of("u1", "kms-initialized"),
          CryptoUnit.of(forged, "reserved")), START.plusSeconds(30));
      tracker.update(List.of(CryptoUnit.of("u1", "kms-initialized"),
          CryptoUnit.of(forged, "claimed")), START.plusSeconds(60));
      tracker.update(List.of(CryptoUnit.of("u1", "kms-initialized")), START.plusSeconds(90));

      assertThat(logs.messages(Level.INFO))
          .hasSize(3)
          .allSatisfy(message -> assertThat(message)
              .contains("crypto_unit_id=u2\\u000Acrypto unit disappeared")
              .doesNotContain("\n")
              .doesNotContain("\u001b"));
    }
  }

  @Test
  void unitReachingKmsInitializedServesOnlyAfterWarmUp() {
    tracker.update(List.of(CryptoUnit.of("u1", "initialized")), START);

    Instant reached = START.plusSeconds(30);
    UnitSnapshot justReached =
        tracker.update(List.of(CryptoUnit.of("u1", "kms-initialized")), reached).get(0);
    UnitSnapshot almostWarm = tracker
        .update(List.of(CryptoUnit.of("u1", "kms-initialized")), reached.plus(WARM_UP).minusMillis(1))
        .get(0);
    UnitSnapshot warm =
        tracker.update(List.of(CryptoUnit.of("u1", "kms-initialized")), reached.plus(WARM_UP)).get(0);

    assertThat(justReached.serving()).isFalse();
    assertThat(justReached.stateSince()).isEqualTo(reached);
    assertThat(almostWarm.serving()).isFalse();
    assertThat(warm.serving()).isTrue();
    assertThat(warm.stateSince()).isEqualTo(reached);
  }

  @Test
  void unitAppearingLaterInKmsInitializedNeedsWarmUp() {
    tracker.update(List.of(CryptoUnit.of("u1", "kms-initialized")), START);

    List<UnitSnapshot> units = tracker.update(
        List.of(CryptoUnit.of("u1", "kms-initialized"), CryptoUnit.of("u2", "kms-initialized")),
        START.plusSeconds(30));

    assertThat(units.get(0).serving()).isTrue();
    assertThat(units.get(1).serving()).isFalse();
  }

  @Test
  void unitBackFromMaintenanceWarmsUpAgain() {
    tracker.update(List.of(CryptoUnit.of("u1", "kms-initialized")), START);
    tracker.update(List.of(CryptoUnit.of("u1", "maintenance")), START.plusSeconds(30));

    UnitSnapshot back =
        tracker.update(List.of(CryptoUnit.of("u1", "kms-initialized")), START.plusSeconds(60)).get(0);

    assertThat(back.serving()).isFalse();
    assertThat(back.stateSince()).isEqualTo(START.plusSeconds(60));
  }

  @Test
  void unchangedStateKeepsItsSinceTime() {
    tracker.update(List.of(CryptoUnit.of("u1", "reserved")), START);

    UnitSnapshot later =
        tracker.update(List.of(CryptoUnit.of("u1", " RESERVED ")), START.plusSeconds(90)).get(0);

    assertThat(later.state()).isEqualTo(CryptoUnitState.RESERVED);
    assertThat(later.stateSince()).isEqualTo(START);
  }

  @Test
  void vanishedUnitIsForgotten() {
    tracker.update(List.of(CryptoUnit.of("u1", "reserved"), CryptoUnit.of("u2", "reserved")), START);
    tracker.update(List.of(CryptoUnit.of("u1", "reserved")), START.plusSeconds(30));

    UnitSnapshot returned = tracker
        .update(List.of(CryptoUnit.of("u1", "reserved"), CryptoUnit.of("u2", "reserved")),
            START.plusSeconds(60))
        .get(1);

    assertThat(returned.stateSince()).isEqualTo(START.plusSeconds(60));
  }
}
