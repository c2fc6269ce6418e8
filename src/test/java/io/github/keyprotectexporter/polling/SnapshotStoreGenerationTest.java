package io.github.keyprotectexporter.polling;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.sources.ProbeFailureReason;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotStoreGenerationTest {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final InstanceConfig INSTANCE =
      new InstanceConfig(
          "7f3e9b10-5c2d-4a8e-b1f0-0000000000a1", "ledger", "eu-de", false,
          URI.create("http://127.0.0.1:1"));
  static final List<UnitSnapshot> UNITS =
      List.of(
          new UnitSnapshot("unit-1", CryptoUnitState.KMS_INITIALIZED, NOW.minusSeconds(600), true),
          new UnitSnapshot("unit-2", CryptoUnitState.MAINTENANCE, NOW.minusSeconds(60), false));

  private final SnapshotStore store = new SnapshotStore(List.of(INSTANCE));

  /** Returns a successful poll at {@code polledAt} whose units expire 90 seconds later. */
  static InstanceSnapshot polled(Instant polledAt, List<UnitSnapshot> units, long durationMillis) {
    return new InstanceSnapshot(INSTANCE, units, polledAt, polledAt.plusSeconds(90), true, true,
        Duration.ofMillis(durationMillis), null, null);
  }

  @Test
  void pollWithSameUnitsKeepsGeneration() {
    store.put(polled(NOW, UNITS, 120));
    long before = store.generation();

    store.put(polled(NOW.plusSeconds(30), UNITS, 340));

    assertThat(store.generation()).isEqualTo(before);
  }

  @Test
  void stateChangeCountsAsUpdate() {
    store.put(polled(NOW, UNITS, 120));
    long before = store.generation();
    List<UnitSnapshot> changed =
        List.of(
            UNITS.get(0),
            new UnitSnapshot("unit-2", CryptoUnitState.KMS_INITIALIZED, NOW.plusSeconds(30), false));

    store.put(polled(NOW.plusSeconds(30), changed, 120));

    assertThat(store.generation()).isGreaterThan(before);
  }

  @Test
  void failedPollCountsAsUpdate() {
    InstanceSnapshot success = polled(NOW, UNITS, 120);
    store.put(success);
    long before = store.generation();

    store.put(new InstanceSnapshot(INSTANCE, UNITS, NOW, success.unitsExpireAt(), true, false,
        Duration.ofSeconds(10), PollErrorReason.TIMEOUT, "timed out"));

    assertThat(store.generation()).isGreaterThan(before);
  }

  @Test
  void pollAfterQueriedExpiryCountsAsUpdate() {
    InstanceSnapshot first = polled(NOW, UNITS, 120);
    store.put(first);
    // A reader queries at the expiry, so it may have exported the units as stale.
    assertThat(store.nextUnitsExpiry(first.unitsExpireAt())).isNull();
    long before = store.generation();

    store.put(polled(first.unitsExpireAt().plusSeconds(1), UNITS, 120));

    assertThat(store.generation()).isGreaterThan(before);
  }

  @Test
  void pollBeforeQueriedExpiryKeepsGeneration() {
    InstanceSnapshot first = polled(NOW, UNITS, 120);
    store.put(first);
    assertThat(store.nextUnitsExpiry(NOW.plusSeconds(10))).isEqualTo(first.unitsExpireAt());
    long before = store.generation();

    store.put(polled(NOW.plusSeconds(30), UNITS, 120));

    assertThat(store.generation()).isEqualTo(before);
  }

  @Test
  void earlierExpiryCountsAsUpdate() {
    store.put(polled(NOW, UNITS, 120));
    long before = store.generation();

    store.put(polled(NOW.minusSeconds(5), UNITS, 120));

    assertThat(store.generation()).isGreaterThan(before);
  }

  @Test
  void probeOutcomeChangeCountsAsUpdate() {
    store.putProbe(ProbeSnapshot.succeeded(INSTANCE.id(), NOW, Duration.ofMillis(80)));
    long afterFirst = store.generation();
    store.putProbe(ProbeSnapshot.succeeded(INSTANCE.id(), NOW.plusSeconds(60), Duration.ofMillis(95)));
    long afterRepeat = store.generation();

    store.putProbe(new ProbeSnapshot(INSTANCE.id(), NOW.plusSeconds(120), Duration.ofMillis(90),
        ProbeFailureReason.NO_HEALTHY_UPSTREAM, "HTTP 503"));

    assertThat(afterRepeat).isEqualTo(afterFirst);
    assertThat(store.generation()).isGreaterThan(afterRepeat);
  }
}
