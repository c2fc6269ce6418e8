package io.github.keyprotectexporter.polling;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.KeyProtectApiSource;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Retries of the poller with the real API source against WireMock, on a clock and scheduler that
 * the test drives, so no test waits for a retry in real time.
 */
class PollerRetryTest {

  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final String ID_A = "7f3e9b10-5c2d-4a8e-b1f0-0000000000a1";
  private static final String ID_B = "7f3e9b10-5c2d-4a8e-b1f0-0000000000b2";
  private static final String UNITS = """
      [{"id": "u1", "instanceId": "%s", "state": "kms-initialized"}]""";
  /** A random source whose nextDouble is 0.5: no interval jitter, and half of each backoff. */
  private static final RandomGenerator HALF = () -> Long.MIN_VALUE;

  private final WireMockServer api =
      new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
  private final MutableClock clock = new MutableClock(START);
  private final ManualScheduler scheduler = new ManualScheduler(clock);
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private final Map<String, AtomicInteger> skips = new ConcurrentHashMap<>();
  private final PollListener listener = new PollListener() {
    @Override
    public void pollFailed(String instanceId, PollErrorReason reason) {
      failures.add(instanceId + ":" + reason.label());
    }

    @Override
    public void pollSkipped(String instanceId) {
      skips.computeIfAbsent(instanceId, id -> new AtomicInteger()).incrementAndGet();
    }
  };
  private KeyProtectApiSource source;
  private Poller poller;
  private SnapshotStore store;

  @BeforeEach
  void startApi() {
    api.start();
    api.stubFor(post("/identity/token").willReturn(okJson(
        "{\"access_token\": \"token-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}")));
  }

  @AfterEach
  void stop() {
    if (poller != null) {
      poller.close();
    }
    if (source != null) {
      source.close();
    }
    api.stop();
  }

  private static String path(String id) {
    return "/" + id + "/api/v1/cryptounits";
  }

  private InstanceConfig instance(String id) {
    return new InstanceConfig(id, "name-" + id, "us-south", false,
        URI.create(api.baseUrl() + "/" + id));
  }

  private void startPoller(int concurrency, String... ids) {
    PollSettings settings = new PollSettings(Duration.ofSeconds(30), Duration.ofSeconds(5),
        Duration.ofSeconds(90), Duration.ZERO, concurrency);
    List<InstanceConfig> instances = Arrays.stream(ids).map(this::instance).toList();
    ExporterConfig config = new ExporterConfig(settings,
        new IamSettings(URI.create(api.baseUrl() + "/identity/token"), "UNUSED", null),
        instances);
    store = new SnapshotStore(instances);
    source = KeyProtectApiSource.create(config, new Secret("test-api-key"),
        ApiRequestListener.NONE);
    poller = new Poller(settings, instances, source, store, listener, null, ProbeListener.NONE,
        clock, scheduler, HALF);
    poller.start();
  }

  /** Replaces the poller and source as a config reload does, with one instance. */
  private void reloadWith(InstanceConfig instance) {
    PollSettings settings = new PollSettings(Duration.ofSeconds(30), Duration.ofSeconds(5),
        Duration.ofSeconds(90), Duration.ZERO, 1);
    ExporterConfig config = new ExporterConfig(settings,
        new IamSettings(URI.create(api.baseUrl() + "/identity/token"), "UNUSED", null),
        List.of(instance));
    Poller previous = poller;
    previous.close();
    source.close();
    store.reconfigure(List.of(instance));
    source = KeyProtectApiSource.create(config, new Secret("test-api-key"),
        ApiRequestListener.NONE);
    poller = new Poller(settings, List.of(instance), source, store, listener, null,
        ProbeListener.NONE, clock, scheduler, HALF);
    poller.continueFrom(previous);
    poller.start();
  }

  /** Stubs the instance to return each response in turn, and the last one from then on. */
  private void answerInTurn(String id, ResponseDefinitionBuilder... responses) {
    for (int i = 0; i < responses.length; i++) {
      String state = i == 0 ? STARTED : "answer-" + i;
      var stub = get(urlPathEqualTo(path(id))).inScenario(id).whenScenarioStateIs(state)
          .willReturn(responses[i]);
      if (i + 1 < responses.length) {
        stub = stub.willSetStateTo("answer-" + (i + 1));
      }
      api.stubFor(stub);
    }
  }

  private static ResponseDefinitionBuilder units(String id) {
    return okJson(UNITS.formatted(id));
  }

  private static ResponseDefinitionBuilder status(int code) {
    return aResponse().withStatus(code).withBody("error " + code);
  }

  private int requests(String id) {
    return api.findAll(getRequestedFor(urlPathEqualTo(path(id)))).size();
  }

  private void awaitRequests(String id, int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> requests(id) == count);
  }

  private void awaitPolled(String id, boolean up) {
    await().atMost(Duration.ofSeconds(20))
        .until(() -> store.get(id).polled() && store.get(id).up() == up);
  }

  @Nested
  class WithinOnePoll {

    @Test
    void retriesServerErrorThenSucceeds() {
      answerInTurn(ID_A, status(503), status(500), units(ID_A));

      try (CapturedLogs logs = new CapturedLogs()) {
        startPoller(1, ID_A);
        awaitRequests(ID_A, 1);
        scheduler.awaitPending(2);
        scheduler.runNext();
        awaitRequests(ID_A, 2);
        assertThat(clock.instant()).isEqualTo(START.plusMillis(500));
        scheduler.awaitPending(2);
        scheduler.runNext();
        awaitPolled(ID_A, true);

        assertThat(clock.instant()).isEqualTo(START.plusMillis(1500));
        assertThat(requests(ID_A)).isEqualTo(3);
        assertThat(failures).isEmpty();
        // The second retry for the same reason within 5 minutes is logged at DEBUG only.
        assertThat(logs.messages(Level.INFO)).filteredOn(m -> m.startsWith("Poll retry"))
            .singleElement(InstanceOfAssertFactories.STRING)
            .startsWith(retryLine(ID_A, 2, "500ms", "server_error"))
            .contains("HTTP 503");
        assertThat(logs.messages(Level.DEBUG)).filteredOn(m -> m.startsWith("Poll retry"))
            .singleElement(InstanceOfAssertFactories.STRING)
            .startsWith(retryLine(ID_A, 3, "1s", "server_error"))
            .contains("HTTP 500");
      }
    }

    private static String retryLine(String id, int attempt, String wait, String reason) {
      return "Poll retry scheduled instance_id=" + id + " attempt=" + attempt + " wait=" + wait
          + " reason=" + reason;
    }

    @Test
    void givesUpAfterThreeRetries() {
      answerInTurn(ID_A, status(502));
      startPoller(1, ID_A);

      for (int retry = 1; retry <= 3; retry++) {
        awaitRequests(ID_A, retry);
        scheduler.awaitPending(2);
        scheduler.runNext();
      }
      awaitPolled(ID_A, false);

      assertThat(requests(ID_A)).isEqualTo(4);
      assertThat(clock.instant()).isEqualTo(START.plusMillis(500 + 1000 + 2000));
      assertThat(failures).containsExactly(ID_A + ":server_error");
      assertThat(scheduler.pending()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 501})
    void doesNotRetryOtherStatuses(int code) {
      answerInTurn(ID_A, status(code));
      startPoller(1, ID_A);

      awaitPolled(ID_A, false);

      assertThat(requests(ID_A)).isEqualTo(1);
      assertThat(scheduler.pending()).isEqualTo(1);
      assertThat(failures).hasSize(1);
    }

    @Test
    void unauthorizedRefreshesTokenOnceWithoutRetry() {
      answerInTurn(ID_A, status(401));
      startPoller(1, ID_A);

      awaitPolled(ID_A, false);

      assertThat(requests(ID_A)).isEqualTo(2);
      assertThat(scheduler.pending()).isEqualTo(1);
      assertThat(failures).containsExactly(ID_A + ":auth");
    }

    @Test
    void waitsForRetryAfterSeconds() {
      answerInTurn(ID_A, status(429).withHeader("Retry-After", "20"), units(ID_A));
      startPoller(1, ID_A);
      awaitRequests(ID_A, 1);
      scheduler.awaitPending(2);

      scheduler.advance(Duration.ofSeconds(19));
      assertThat(requests(ID_A)).isEqualTo(1);
      scheduler.advance(Duration.ofSeconds(1));
      awaitPolled(ID_A, true);

      assertThat(requests(ID_A)).isEqualTo(2);
      assertThat(failures).isEmpty();
    }

    @Test
    void waitsForRetryAfterDate() {
      Instant serverNow = Instant.parse("2026-12-01T09:58:00Z");
      DateTimeFormatter http = DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
      answerInTurn(ID_A, status(429)
              .withHeader("Date", http.format(serverNow))
              .withHeader("Retry-After", http.format(serverNow.plusSeconds(12))),
          units(ID_A));
      startPoller(1, ID_A);
      awaitRequests(ID_A, 1);
      scheduler.awaitPending(2);

      scheduler.runNext();
      awaitPolled(ID_A, true);

      assertThat(clock.instant()).isEqualTo(START.plusSeconds(12));
      assertThat(requests(ID_A)).isEqualTo(2);
    }
  }

  @Nested
  class AcrossPolls {

    @Test
    void retryAfterPastDeadlineBlocksLaterPolls() {
      answerInTurn(ID_A, status(429).withHeader("Retry-After", "70"), units(ID_A));
      startPoller(1, ID_A);
      awaitPolled(ID_A, false);
      assertThat(scheduler.pending()).isEqualTo(1);

      // At 30 s the block ends after the poll's deadline of 60 s: the poll fails at once.
      scheduler.runNext();
      assertThat(clock.instant()).isEqualTo(START.plusSeconds(30));
      assertThat(requests(ID_A)).isEqualTo(1);
      assertThat(store.get(ID_A).lastErrorMessage()).contains("Retry-After");
      assertThat(failures).containsExactly(ID_A + ":rate_limited", ID_A + ":rate_limited");

      // At 60 s the block ends before the deadline of 90 s: the poll waits until 70 s.
      scheduler.runNext();
      scheduler.awaitPending(2);
      scheduler.advance(Duration.ofSeconds(9));
      assertThat(requests(ID_A)).isEqualTo(1);
      scheduler.advance(Duration.ofSeconds(1));
      awaitPolled(ID_A, true);

      assertThat(requests(ID_A)).isEqualTo(2);
      assertThat(clock.instant()).isEqualTo(START.plusSeconds(70));
    }

    @Test
    void reloadKeepsBlockOfSameEndpoint() {
      answerInTurn(ID_A, status(429).withHeader("Retry-After", "600"), units(ID_A));
      startPoller(1, ID_A);
      awaitPolled(ID_A, false);

      reloadWith(instance(ID_A));
      await().atMost(Duration.ofSeconds(20)).until(() -> failures.size() == 2);

      assertThat(requests(ID_A)).isEqualTo(1);
      assertThat(store.get(ID_A).lastErrorMessage()).contains("Retry-After");
    }

    @Test
    void reloadWithNewEndpointDropsBlock() {
      answerInTurn(ID_A, status(429).withHeader("Retry-After", "600"), units(ID_A));
      startPoller(1, ID_A);
      awaitPolled(ID_A, false);
      String moved = "/moved" + path(ID_A);
      api.stubFor(get(urlPathEqualTo(moved)).willReturn(units(ID_A)));

      reloadWith(new InstanceConfig(ID_A, "name-" + ID_A, "us-south", false,
          URI.create(api.baseUrl() + "/moved/" + ID_A)));
      await().atMost(Duration.ofSeconds(20)).until(() -> failures.size() == 2
          || api.findAll(getRequestedFor(urlPathEqualTo(moved))).size() == 1);

      assertThat(failures).hasSize(1);
      awaitPolled(ID_A, true);
    }

    @Test
    void pollDueDuringRetryWaitIsSkipped() {
      answerInTurn(ID_A, status(429).withHeader("Retry-After", "30"), units(ID_A));
      startPoller(1, ID_A);
      awaitRequests(ID_A, 1);
      scheduler.awaitPending(2);

      // The next poll and the retry are both due at 30 s, and the poll was scheduled first.
      scheduler.runNext();
      awaitPolled(ID_A, true);

      assertThat(skips.get(ID_A)).hasValue(1);
      assertThat(requests(ID_A)).isEqualTo(2);
      assertThat(failures).isEmpty();
    }

    @Test
    void waitingInstanceDoesNotDelayOthers() {
      answerInTurn(ID_A, status(429).withHeader("Retry-After", "25"), units(ID_A));
      answerInTurn(ID_B, units(ID_B));

      // One worker: had the wait blocked it, B could not be polled before the clock moves.
      startPoller(1, ID_A, ID_B);
      awaitPolled(ID_B, true);
      assertThat(clock.instant()).isEqualTo(START);
      assertThat(store.get(ID_A).polled()).isFalse();

      scheduler.runNext();
      awaitPolled(ID_A, true);
      assertThat(clock.instant()).isEqualTo(START.plusSeconds(25));
      scheduler.runNext();
      awaitRequests(ID_B, 2);

      assertThat(clock.instant()).isEqualTo(START.plusSeconds(30));
      assertThat(skips).isEmpty();
    }
  }
}
