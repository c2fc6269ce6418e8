package io.github.keyprotectexporter.polling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.config.ProbeSettings;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.sources.ProbeException;
import io.github.keyprotectexporter.sources.ProbeFailureReason;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The key-operation probes that the poller runs next to the polls. */
class PollerProbeTest {

  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final PollSettings SETTINGS = new PollSettings(Duration.ofSeconds(30),
      Duration.ofSeconds(5), Duration.ofSeconds(90), Duration.ofMinutes(5), 2);

  private final MutableClock clock = new MutableClock(START);
  private final ScriptedSource source = new ScriptedSource();
  private final ScriptedProbe probe = new ScriptedProbe();
  private final Map<String, List<ProbeFailureReason>> failures = new ConcurrentHashMap<>();
  private Poller poller;

  @AfterEach
  void stopPoller() {
    if (poller != null) {
      poller.close();
    }
  }

  private static InstanceConfig probed(String id, Duration interval) {
    ProbeSettings settings = new ProbeSettings(true, interval, URI.create("http://127.0.0.1:1"));
    return unprobed(id).withProbe(settings);
  }

  private static InstanceConfig probed(String id) {
    return probed(id, Duration.ofMinutes(1));
  }

  private static InstanceConfig unprobed(String id) {
    return new InstanceConfig(id, "name-" + id, "us-south", false, URI.create("http://127.0.0.1:1"));
  }

  private SnapshotStore newPoller(PollSettings settings, List<InstanceConfig> instances) {
    SnapshotStore store = new SnapshotStore(instances);
    poller = new Poller(settings, instances, source, store, PollListener.NONE, probe,
        (id, reason) -> failures.computeIfAbsent(id, k -> new ArrayList<>()).add(reason), clock);
    return store;
  }

  private static ProbeException failure(ProbeFailureReason reason) {
    return new ProbeException(reason, "HEAD http://127.0.0.1:1/api/v2/keys failed");
  }

  @Test
  void retryAfterBlocksLaterProbes() throws Exception {
    SnapshotStore store = newPoller(SETTINGS, List.of(probed("a")));
    probe.fail("a", new ProbeException(ProbeFailureReason.RATE_LIMITED,
        "HEAD http://127.0.0.1:1/api/v2/keys returned HTTP 429", Duration.ofSeconds(90)));
    poller.pollAllOnce();
    probe.succeed("a");

    clock.advance(Duration.ofSeconds(89));
    poller.pollAllOnce();
    assertThat(probe.probes("a")).isEqualTo(1);
    assertThat(store.probe("a").failure()).isEqualTo(ProbeFailureReason.RATE_LIMITED);
    assertThat(store.probe("a").failureMessage()).contains("Retry-After");
    clock.advance(Duration.ofSeconds(1));
    poller.pollAllOnce();

    assertThat(probe.probes("a")).isEqualTo(2);
    assertThat(store.probe("a").success()).isTrue();
    assertThat(failures.get("a"))
        .containsExactly(ProbeFailureReason.RATE_LIMITED, ProbeFailureReason.RATE_LIMITED);
  }

  @Test
  void probesOnlyEnabledInstances() throws Exception {
    SnapshotStore store = newPoller(SETTINGS, List.of(probed("a"), unprobed("b")));

    poller.pollAllOnce();

    assertThat(probe.probes("a")).isEqualTo(1);
    assertThat(probe.probes("b")).isZero();
    assertThat(store.probe("a").success()).isTrue();
    assertThat(store.probe("a").probedAt()).isEqualTo(START);
    assertThat(store.probe("b")).isNull();
  }

  @Test
  void failedProbeIsStoredAndCounted() throws Exception {
    SnapshotStore store = newPoller(SETTINGS, List.of(probed("a")));
    probe.fail("a", failure(ProbeFailureReason.NO_HEALTHY_UPSTREAM));

    poller.pollAllOnce();

    ProbeSnapshot snapshot = store.probe("a");
    assertThat(snapshot.success()).isFalse();
    assertThat(snapshot.failure()).isEqualTo(ProbeFailureReason.NO_HEALTHY_UPSTREAM);
    assertThat(snapshot.failureMessage()).isEqualTo("HEAD http://127.0.0.1:1/api/v2/keys failed");
    assertThat(failures.get("a")).containsExactly(ProbeFailureReason.NO_HEALTHY_UPSTREAM);
  }

  @Test
  void serverErrorMakesServingInstanceNotReady() throws Exception {
    SnapshotStore store = newPoller(SETTINGS, List.of(probed("a")));
    source.answer("a", CryptoUnit.of("u1", "kms-initialized"), CryptoUnit.of("u2", "kms-initialized"));
    probe.fail("a", failure(ProbeFailureReason.SERVER_ERROR));

    poller.pollAllOnce();

    assertThat(store.get("a").ready(START)).isTrue();
    assertThat(store.ready("a", START)).isFalse();
  }

  @Test
  void otherProbeFailuresKeepInstanceReady() throws Exception {
    SnapshotStore store = newPoller(SETTINGS, List.of(probed("a")));
    source.answer("a", CryptoUnit.of("u1", "kms-initialized"));

    for (ProbeFailureReason reason : ProbeFailureReason.values()) {
      probe.fail("a", failure(reason));
      poller.pollAllOnce();

      assertThat(store.ready("a", START)).as(reason.label()).isEqualTo(!reason.isServerError());
    }
  }

  @Test
  void successfulProbeRestoresReady() throws Exception {
    SnapshotStore store = newPoller(SETTINGS, List.of(probed("a")));
    source.answer("a", CryptoUnit.of("u1", "kms-initialized"));
    probe.fail("a", failure(ProbeFailureReason.UNAVAILABLE));
    poller.pollAllOnce();

    probe.succeed("a");
    clock.advance(Duration.ofSeconds(60));
    poller.pollAllOnce();

    assertThat(store.probe("a").success()).isTrue();
    assertThat(store.ready("a", clock.instant())).isTrue();
  }

  @Test
  void crashingProbeCountsAsOther() throws Exception {
    SnapshotStore store = newPoller(SETTINGS, List.of(probed("a")));
    probe.crash("a", new IllegalStateException("bug in a probe"));

    poller.pollAllOnce();

    assertThat(store.probe("a").failure()).isEqualTo(ProbeFailureReason.OTHER);
    assertThat(failures.get("a")).containsExactly(ProbeFailureReason.OTHER);
  }

  @Test
  void probesRepeatOnTheirOwnInterval() {
    newPoller(SETTINGS, List.of(probed("a", Duration.ofMillis(20))));

    poller.start();

    await().atMost(Duration.ofSeconds(20)).until(() -> probe.probes("a") >= 10);
    // The poll interval is 30 s, so only the first poll can have run.
    assertThat(source.reads()).isEqualTo(1);
    assertThat(probe.peakInFlightPerInstance()).isEqualTo(1);
  }

  @Test
  void probesShareConcurrencyLimit() {
    List<InstanceConfig> instances =
        IntStream.range(0, 4).mapToObj(i -> probed("i" + i)).toList();
    SnapshotStore store = newPoller(SETTINGS, instances);
    CountDownLatch gate = new CountDownLatch(1);
    probe.holdProbes(gate);

    poller.start();
    await().atMost(Duration.ofSeconds(20)).until(() -> probe.totalProbes() == 2);
    gate.countDown();
    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> instances.stream().allMatch(i -> store.probe(i.id()) != null));

    assertThat(probe.peakInFlight()).isEqualTo(2);
    assertThat(store.allPolled()).isTrue();
  }
}
