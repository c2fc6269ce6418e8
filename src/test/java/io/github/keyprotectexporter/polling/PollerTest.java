package io.github.keyprotectexporter.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.sources.PollException;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class PollerTest {

  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final PollSettings SETTINGS = new PollSettings(Duration.ofSeconds(30),
      Duration.ofSeconds(5), Duration.ofSeconds(90), Duration.ofMinutes(5), 2);

  private final MutableClock clock = new MutableClock(START);
  private final ScriptedSource source = new ScriptedSource();
  private final Map<String, List<PollErrorReason>> failures = new ConcurrentHashMap<>();
  private Poller poller;

  @AfterEach
  void stopPoller() {
    if (poller != null) {
      poller.close();
    }
  }

  private static InstanceConfig instance(String id) {
    return new InstanceConfig(id, "name-" + id, "us-south", false, URI.create("http://127.0.0.1:1"));
  }

  private SnapshotStore newPoller(PollSettings settings, List<InstanceConfig> instances) {
    SnapshotStore store = new SnapshotStore(instances);
    poller = new Poller(settings, instances, source, store,
        (id, reason) -> failures.computeIfAbsent(id, k -> new ArrayList<>()).add(reason), clock);
    return store;
  }

  @Test
  void successfulPollStoresUnitsAndMarksUp() throws Exception {
    SnapshotStore store = newPoller(SETTINGS, List.of(instance("a")));
    source.answer("a", CryptoUnit.of("u1", "kms-initialized"), CryptoUnit.of("u2", "Maintenance"));

    InstanceSnapshot snapshot = poller.pollAllOnce().get(0);

    assertThat(store.get("a")).isEqualTo(snapshot);
    assertThat(snapshot.polled()).isTrue();
    assertThat(snapshot.up()).isTrue();
    assertThat(snapshot.unitsPolledAt()).isEqualTo(START);
    assertThat(snapshot.unitsExpireAt()).isEqualTo(START.plusSeconds(90));
    assertThat(snapshot.units()).extracting(UnitSnapshot::state)
        .containsExactly(CryptoUnitState.KMS_INITIALIZED, CryptoUnitState.MAINTENANCE);
    assertThat(snapshot.servingUnits(START)).isEqualTo(1);
    assertThat(snapshot.ready(START)).isTrue();
    assertThat(snapshot.lastError()).isNull();
  }

  @Test
  void failedPollKeepsLastGoodUnitsUntilStale() throws Exception {
    SnapshotStore store = newPoller(SETTINGS, List.of(instance("a")));
    source.answer("a", CryptoUnit.of("u1", "kms-initialized"));
    poller.pollAllOnce();

    clock.advance(Duration.ofSeconds(30));
    source.fail("a", new PollException(PollErrorReason.SERVER_ERROR, "HTTP 503: no healthy upstream"));
    InstanceSnapshot failed = poller.pollAllOnce().get(0);

    assertThat(failed.up()).isFalse();
    assertThat(failed.lastError()).isEqualTo(PollErrorReason.SERVER_ERROR);
    assertThat(failed.lastErrorMessage()).isEqualTo("HTTP 503: no healthy upstream");
    assertThat(failed.units()).extracting(UnitSnapshot::id).containsExactly("u1");
    assertThat(failed.unitsPolledAt()).isEqualTo(START);
    assertThat(failed.hasCurrentUnits(clock.instant())).isTrue();
    assertThat(failed.hasCurrentUnits(START.plusSeconds(90))).isFalse();
    assertThat(failed.servingUnits(START.plusSeconds(90))).isZero();
    assertThat(failures.get("a")).containsExactly(PollErrorReason.SERVER_ERROR);
    assertThat(store.get("a")).isEqualTo(failed);
  }

  @Test
  void failedFirstPollHasNoUnits() throws Exception {
    newPoller(SETTINGS, List.of(instance("a")));
    source.fail("a", new PollException(PollErrorReason.AUTH, "IAM rejected the API key"));

    InstanceSnapshot snapshot = poller.pollAllOnce().get(0);

    assertThat(snapshot.polled()).isTrue();
    assertThat(snapshot.up()).isFalse();
    assertThat(snapshot.units()).isEmpty();
    assertThat(snapshot.hasCurrentUnits(START)).isFalse();
    assertThat(snapshot.ready(START)).isFalse();
  }

  @Test
  void unexpectedExceptionCountsAsBadResponse() throws Exception {
    newPoller(SETTINGS, List.of(instance("a")));
    source.crash("a", new IllegalStateException("bug in a source"));

    InstanceSnapshot snapshot = poller.pollAllOnce().get(0);

    assertThat(snapshot.up()).isFalse();
    assertThat(snapshot.lastError()).isEqualTo(PollErrorReason.BAD_RESPONSE);
    assertThat(failures.get("a")).containsExactly(PollErrorReason.BAD_RESPONSE);
  }

  @Test
  void logsStackTraceOncePerExceptionClass() throws Exception {
    newPoller(SETTINGS, List.of(instance("a")));

    try (CapturedLogs logs = new CapturedLogs()) {
      source.crash("a", new ArithmeticException("long overflow"));
      poller.pollAllOnce();
      clock.advance(Duration.ofSeconds(30));
      poller.pollAllOnce();
      source.crash("a", new IllegalStateException("bug in a source"));
      clock.advance(Duration.ofSeconds(30));
      poller.pollAllOnce();
      clock.advance(Duration.ofSeconds(30));
      poller.pollAllOnce();

      assertThat(logs.events(Level.ERROR))
          .extracting(event -> event.getThrowableProxy().getClassName())
          .containsExactly(
              ArithmeticException.class.getName(), IllegalStateException.class.getName());
      assertThat(logs.messages(Level.ERROR))
          .allSatisfy(message -> assertThat(message).contains("instance_id=a"));
      assertThat(logs.messages(Level.WARN))
          .hasSize(2)
          .allSatisfy(message -> assertThat(message).contains("reason=bad_response"));
    }
    assertThat(failures.get("a")).hasSize(4);
  }

  @Test
  void masterKeyMismatchIsLoggedOnceUntilResolved() throws Exception {
    newPoller(SETTINGS, List.of(instance("a")));
    try (CapturedLogs logs = new CapturedLogs()) {
      source.answer("a", CryptoUnit.of("u1", "kms-initialized", "9A3F0C", null),
          CryptoUnit.of("u2", "kms-initialized", "E51D77", null));
      poller.pollAllOnce();
      poller.pollAllOnce();
      source.answer("a", CryptoUnit.of("u1", "kms-initialized", "9A3F0C", null),
          CryptoUnit.of("u2", "kms-initialized", "9A3F0C", null));
      poller.pollAllOnce();

      assertThat(logs.messages(Level.WARN))
          .filteredOn(message -> message.contains("different master-key check values"))
          .singleElement(InstanceOfAssertFactories.STRING)
          .contains("instance_id=a").doesNotContain("9A3F0C").doesNotContain("E51D77");
      assertThat(logs.messages(Level.INFO))
          .filteredOn(message -> message.contains("one master-key check value again"))
          .hasSize(1);
    }
  }

  @Test
  void vanishedUnitLeavesOnNextSuccess() throws Exception {
    newPoller(SETTINGS, List.of(instance("a")));
    source.answer("a", CryptoUnit.of("u1", "kms-initialized"), CryptoUnit.of("u2", "reserved"));
    poller.pollAllOnce();

    source.answer("a", CryptoUnit.of("u1", "kms-initialized"));
    InstanceSnapshot snapshot = poller.pollAllOnce().get(0);

    assertThat(snapshot.units()).extracting(UnitSnapshot::id).containsExactly("u1");
  }

  @Test
  void startPollsEveryInstanceAtOnce() {
    List<InstanceConfig> instances = List.of(instance("a"), instance("b"), instance("c"));
    SnapshotStore store = newPoller(SETTINGS, instances);
    source.answer("a", CryptoUnit.of("u1", "kms-initialized"));

    assertThat(store.allPolled()).isFalse();
    poller.start();

    // The interval is 30 s, so only the first cycle can have run when every instance is polled.
    await().atMost(Duration.ofSeconds(20)).until(store::allPolled);
    assertThat(source.reads()).isEqualTo(3);
  }

  @Test
  void concurrencyLimitsPollsInFlight() {
    List<InstanceConfig> instances =
        IntStream.range(0, 6).mapToObj(i -> instance("i" + i)).toList();
    SnapshotStore store = newPoller(SETTINGS, instances);
    CountDownLatch gate = new CountDownLatch(1);
    source.holdReads(gate);

    poller.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> source.reads() == 2);
    gate.countDown();
    await().atMost(Duration.ofSeconds(20)).until(store::allPolled);

    assertThat(source.peakInFlight()).isEqualTo(2);
  }

  @Test
  void shortIntervalRepollsWithoutOverlap() {
    PollSettings fast = new PollSettings(Duration.ofMillis(20), Duration.ofMillis(20),
        Duration.ofSeconds(1), Duration.ZERO, 4);
    newPoller(fast, List.of(instance("a")));
    AtomicInteger before = new AtomicInteger(source.reads());

    poller.start();

    await().atMost(Duration.ofSeconds(20)).until(() -> source.reads() >= before.get() + 10);
    assertThat(source.peakInFlightPerInstance()).isEqualTo(1);
  }

  @Test
  void overlappingPollIsSkipped() throws Exception {
    SnapshotStore store = newPoller(SETTINGS, List.of(instance("a")));
    CountDownLatch gate = new CountDownLatch(1);
    source.holdReads(gate);
    poller.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> source.reads() == 1);

    Thread second = new Thread(() -> {
      try {
        poller.pollAllOnce();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    });
    second.start();
    second.join(Duration.ofSeconds(20).toMillis());
    gate.countDown();

    assertThat(second.isAlive()).isFalse();
    assertThat(source.reads()).isEqualTo(1);
    await().atMost(Duration.ofSeconds(20)).until(store::allPolled);
    assertThat(source.peakInFlightPerInstance()).isEqualTo(1);
  }

  @Nested
  class PollSoon {

    @Test
    void pollsBeforeTheInterval() {
      SnapshotStore store = newPoller(SETTINGS, List.of(instance("a")));
      poller.start();
      await().atMost(Duration.ofSeconds(20)).until(store::allPolled);
      source.answer("a", CryptoUnit.of("u1", "maintenance"));

      poller.pollSoon("a");

      // The interval is 30 s, so only pollSoon can explain the second read.
      await().atMost(Duration.ofSeconds(20)).until(() -> source.reads() == 2);
      await().atMost(Duration.ofSeconds(20)).until(() -> store.get("a").units().size() == 1);
      assertThat(store.get("a").units().get(0).state()).isEqualTo(CryptoUnitState.MAINTENANCE);
    }

    @Test
    void runningPollPollsAgainWhenItEnds() {
      SnapshotStore store = newPoller(SETTINGS, List.of(instance("a")));
      CountDownLatch gate = new CountDownLatch(1);
      source.holdReads(gate);
      poller.start();
      await().atMost(Duration.ofSeconds(20)).until(() -> source.reads() == 1);

      try (CapturedLogs logs = new CapturedLogs()) {
        poller.pollSoon("a");
        poller.pollSoon("a");
        // Opening the gate only after the deferral makes the running poll the one that polls again.
        await().atMost(Duration.ofSeconds(20)).until(() -> logs.messages(Level.DEBUG).stream()
            .anyMatch(m -> m.startsWith("Poll after a source change deferred")));
        gate.countDown();

        await().atMost(Duration.ofSeconds(20)).until(() -> source.reads() >= 2);
        await().atMost(Duration.ofSeconds(20)).until(store::allPolled);
        assertThat(source.peakInFlightPerInstance()).isEqualTo(1);
        assertThat(logs.messages(Level.WARN)).noneMatch(m -> m.startsWith("Poll skipped"));
      }
    }

    @Test
    void otherInstancesAreNotPolled() {
      SnapshotStore store = newPoller(SETTINGS, List.of(instance("a"), instance("b")));
      poller.start();
      await().atMost(Duration.ofSeconds(20)).until(store::allPolled);

      poller.pollSoon("a");
      await().atMost(Duration.ofSeconds(20)).until(() -> source.reads() == 3);
      poller.pollSoon("a");
      await().atMost(Duration.ofSeconds(20)).until(() -> source.reads() == 4);

      assertThat(source.readsOf("b")).isEqualTo(1);
      assertThat(source.readsOf("a")).isEqualTo(3);
    }

    @Test
    void rejectsUnknownInstance() {
      newPoller(SETTINGS, List.of(instance("a")));

      assertThatThrownBy(() -> poller.pollSoon("b"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("instance not configured: b");
    }
  }
}
