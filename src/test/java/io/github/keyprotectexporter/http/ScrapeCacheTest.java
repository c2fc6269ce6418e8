package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.metrics.Exposition;
import io.github.keyprotectexporter.metrics.MetricChanges;
import io.github.keyprotectexporter.metrics.SampleStore;
import io.github.keyprotectexporter.metrics.SnapshotCollector;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class ScrapeCacheTest {

  static final String TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS = "application/openmetrics-text; version=1.0.0; charset=utf-8";
  static final String PROTOBUF =
      "application/vnd.google.protobuf; proto=io.prometheus.client.MetricFamily;"
          + " encoding=delimited";

  /** Label values that every format has to escape or encode. */
  static final List<String> ODD_VALUES =
      List.of("say \"hi\"", "C:\\keys\\", "two\nlines", "Zürich – 東京 ✓", "");

  static final String ODD_FAMILY = "keyprotect_test_label_values";

  @Nested
  class SameBytesAsWriter {

    static List<Arguments> formats() {
      List<Arguments> formats = new ArrayList<>();
      List<String> accepts =
          java.util.Arrays.asList(
              null, TEXT, OPENMETRICS, PROTOBUF, OPENMETRICS + "; escaping=underscores");
      for (String accept : accepts) {
        formats.add(Arguments.of(accept, false));
        formats.add(Arguments.of(accept, true));
      }
      return formats;
    }

    @ParameterizedTest(name = "accept={0} gzip={1}")
    @MethodSource("formats")
    void cachedScrapeMatchesWriter(String accept, boolean gzip) {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      PrometheusRegistry registry = withOddFamilies(metrics.registry());
      ScrapeCache cache = new ScrapeCache(registry, metrics, SampleStore.CLOCK);

      ScrapeBody first = cache.scrape(accept, gzip, List.of());
      ScrapeBody second = cache.scrape(accept, gzip, List.of());

      byte[] expected = writerOutput(registry, accept);
      assertThat(decoded(first)).isEqualTo(expected);
      assertThat(decoded(second)).isEqualTo(expected);
      assertThat(second.contentType()).isEqualTo(writerFor(accept).getContentType());
      assertThat(cache.renders()).isEqualTo(1);
    }

    @ParameterizedTest(name = "accept={0} gzip={1}")
    @MethodSource("formats")
    void bothTiersAfterPollMatchWriter(String accept, boolean gzip) {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);
      cache.scrape(accept, gzip, List.of());

      metrics.requestCompleted(SampleStore.HEALTHY, "list_crypto_units", "200");
      ScrapeBody body = cache.scrape(accept, gzip, List.of());

      assertThat(decoded(body)).isEqualTo(writerOutput(metrics.registry(), accept));
      assertThat(cache.renders()).isEqualTo(1);
      assertThat(cache.perPollRenders()).isEqualTo(2);
    }

    @ParameterizedTest(name = "accept={0} gzip={1}")
    @MethodSource("formats")
    void interleavedUntrackedFamilyMatchesWriter(String accept, boolean gzip) {
      PrometheusRegistry registry = withOddFamilies(Exposition.sampleMetrics().registry());
      Gauge.builder().name("keyprotect_interleaved").help("Untracked.").register(registry).set(7);
      ManualChanges changes =
          new ManualChanges(name -> name.startsWith("keyprotect_") && !name.contains("interleaved"));
      ScrapeCache cache = new ScrapeCache(registry, changes, SampleStore.CLOCK);

      ScrapeBody body = cache.scrape(accept, gzip, List.of());

      assertThat(decoded(body)).isEqualTo(writerOutput(registry, accept));
    }

    @Test
    void emptyRegistryMatchesWriter() {
      PrometheusRegistry registry = new PrometheusRegistry();
      ScrapeCache cache = new ScrapeCache(registry, new ManualChanges(), SampleStore.CLOCK);

      for (String accept : new String[] {TEXT, OPENMETRICS, PROTOBUF}) {
        assertThat(decoded(cache.scrape(accept, false, List.of())))
            .isEqualTo(writerOutput(registry, accept));
        assertThat(decoded(cache.scrape(accept, true, List.of())))
            .isEqualTo(writerOutput(registry, accept));
      }
    }
  }

  @Nested
  class ValidOutput {

    @Test
    void promtoolAcceptsText() {
      ScrapeBody body = oddCache().scrape(TEXT, false, List.of());

      ExternalCheck.Result result = ExternalCheck.promtoolCheckMetrics(body.bytes());

      assertThat(result.output()).isEmpty();
      assertThat(result.exitCode()).as(result.output()).isZero();
    }

    @Test
    void openMetricsParserReadsLabelValues() {
      ScrapeBody body = oddCache().scrape(OPENMETRICS, false, List.of());

      ExternalCheck.Result result = ExternalCheck.openMetricsLabelValues(body.bytes(), ODD_FAMILY);

      assertThat(result.exitCode()).as(result.output()).isZero();
      assertThat(result.nulTerminatedValues()).containsExactlyInAnyOrderElementsOf(ODD_VALUES);
    }

    @Test
    void protobufParsesBackToLabelValues() throws IOException {
      ScrapeBody body = oddCache().scrape(PROTOBUF, true, List.of());

      List<String> values = ProtobufFamilies.labelValues(gunzip(body.bytes()), ODD_FAMILY);

      assertThat(values).containsExactlyInAnyOrderElementsOf(ODD_VALUES);
    }

    private ScrapeCache oddCache() {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      return new ScrapeCache(withOddFamilies(metrics.registry()), metrics, SampleStore.CLOCK);
    }
  }

  @Nested
  class Changes {

    @Test
    void twoScrapesShareOneRender() {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      ScrapeCache cache = new ScrapeCache(metrics.registry(), new ManualChanges(), SampleStore.CLOCK);

      ScrapeBody first = cache.scrape(TEXT, false, List.of());
      ScrapeBody second = cache.scrape(TEXT, false, List.of());

      assertThat(second.bytes()).isSameAs(first.bytes());
      assertThat(cache.renders()).isEqualTo(1);
    }

    @Test
    void gzipScrapesShareOneCompression() {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      ScrapeCache cache = new ScrapeCache(metrics.registry(), new ManualChanges(), SampleStore.CLOCK);

      ScrapeBody first = cache.scrape(TEXT, true, List.of());
      ScrapeBody second = cache.scrape(TEXT, true, List.of());

      assertThat(second.bytes()).isSameAs(first.bytes());
      assertThat(cache.renders()).isEqualTo(1);
    }

    @Test
    void gzipScrapesShareTrackedSegments() {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);

      ScrapeBody first = cache.scrape(TEXT, true, List.of());
      ScrapeBody second = cache.scrape(TEXT, true, List.of());

      ScrapeBody.Part largest = largestPart(first);
      assertThat(second.parts())
          .anySatisfy(part -> assertThat(part.array()).isSameAs(largest.array()));
      assertThat(cache.renders()).isEqualTo(1);
    }

    @Test
    void plainScrapesSendRangesOfOneRendering() {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);

      ScrapeBody first = cache.scrape(TEXT, false, List.of());
      ScrapeBody second = cache.scrape(TEXT, false, List.of());

      // The per-poll families split the rendering of the other tier, so its largest run of
      // families is a range of the rendered body, not an array of its own.
      ScrapeBody.Part largest = largestPart(first);
      assertThat(largest.wholeArray()).isFalse();
      assertThat(second.parts()).contains(largest);
      assertThat(second.parts())
          .filteredOn(part -> part.array() == largest.array())
          .hasSizeGreaterThan(1);
      assertThat(cache.renders()).isEqualTo(1);
    }

    @Test
    void counterUpdateShowsOnNextScrape() {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);
      String series =
          "keyprotect_poll_errors_total{instance_id=\"" + SampleStore.FAILED
              + "\",reason=\"timeout\"} ";
      assertThat(text(cache.scrape(TEXT, false, List.of()))).contains(series + "2.0\n");

      metrics.pollFailed(SampleStore.FAILED, PollErrorReason.TIMEOUT);

      assertThat(text(cache.scrape(TEXT, false, List.of()))).contains(series + "3.0\n");
      assertThat(cache.renders()).isEqualTo(2);
    }

    @Test
    void snapshotUpdateShowsOnNextScrape() {
      SnapshotStore store = SampleStore.create();
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(
              store, SampleStore.instances(), SampleStore.CLOCK);
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);
      String series = "keyprotect_up{instance_id=\"" + SampleStore.NEVER_POLLED + "\"} ";
      assertThat(text(cache.scrape(TEXT, false, List.of()))).contains(series + "0.0\n");

      InstanceSnapshot polled =
          SampleStore.success(
              store.get(SampleStore.NEVER_POLLED).instance(),
              Duration.ofSeconds(1),
              Duration.ofMillis(20),
              List.of());
      store.put(polled);

      assertThat(text(cache.scrape(TEXT, false, List.of()))).contains(series + "1.0\n");
    }

    @Test
    void pollWithSameUnitsKeepsRendering() {
      MutableClock clock = new MutableClock(SampleStore.NOW);
      SnapshotStore store = SampleStore.create();
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(store, SampleStore.instances(), clock);
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, clock);
      cache.scrape(TEXT, false, List.of());
      InstanceSnapshot healthy = store.get(SampleStore.HEALTHY);
      clock.set(SampleStore.NOW.plusSeconds(30));

      store.put(repoll(healthy, SampleStore.NOW.plusSeconds(30), Duration.ofMillis(432)));
      metrics.requestCompleted(SampleStore.HEALTHY, "list_crypto_units", "200");
      metrics.requestCompleted(SampleStore.HEALTHY, "list_crypto_units", "200");
      String text = text(cache.scrape(TEXT, false, List.of()));

      String id = "{instance_id=\"" + SampleStore.HEALTHY + "\"} ";
      assertThat(text).contains("keyprotect_last_poll_duration_seconds" + id + "0.432\n");
      assertThat(text)
          .contains("keyprotect_last_poll_success_timestamp_seconds" + id + "1.77236643E9\n");
      assertThat(text)
          .contains(
              "keyprotect_api_requests_total{code=\"200\",instance_id=\"" + SampleStore.HEALTHY
                  + "\",operation=\"list_crypto_units\"} 2.0\n");
      assertThat(text).isEqualTo(Exposition.text(metrics.registry()));
      assertThat(cache.renders()).isEqualTo(1);
      assertThat(cache.perPollRenders()).isEqualTo(2);
    }

    @Test
    void scrapeWithoutUpdateRendersNothing() {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);

      for (boolean gzip : new boolean[] {false, true}) {
        ScrapeBody first = cache.scrape(TEXT, gzip, List.of());
        ScrapeBody second = cache.scrape(TEXT, gzip, List.of());

        assertThat(second).isSameAs(first);
      }
      assertThat(cache.renders()).isEqualTo(1);
      assertThat(cache.perPollRenders()).isEqualTo(1);
    }

    @Test
    void requestCountIsFreshAfterCachedScrape() {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);
      String series =
          "keyprotect_api_requests_total{code=\"503\",instance_id=\"" + SampleStore.HEALTHY
              + "\",operation=\"list_crypto_units\"} ";
      cache.scrape(TEXT, true, List.of());

      metrics.requestCompleted(SampleStore.HEALTHY, "list_crypto_units", "503");
      String once = text(cache.scrape(TEXT, true, List.of()));
      metrics.requestCompleted(SampleStore.HEALTHY, "list_crypto_units", "503");
      String twice = text(cache.scrape(TEXT, true, List.of()));

      assertThat(once).contains(series + "1.0\n");
      assertThat(twice).contains(series + "2.0\n");
      assertThat(twice).isEqualTo(Exposition.text(metrics.registry()));
      assertThat(cache.renders()).isEqualTo(1);
      assertThat(cache.perPollRenders()).isEqualTo(3);
    }

    @Test
    void probeUpdateRendersOnlyPerPollTier() {
      SnapshotStore store = SampleStore.create();
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(
              store, SampleStore.instances(), SampleStore.CLOCK);
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);
      cache.scrape(OPENMETRICS, false, List.of());

      store.putProbe(
          ProbeSnapshot.succeeded(
              SampleStore.HEALTHY, SampleStore.NOW.plusSeconds(10), Duration.ofMillis(777)));
      String text = text(cache.scrape(OPENMETRICS, false, List.of()));

      assertThat(text).contains("keyprotect_kms_probe_duration_seconds{instance_id=\""
          + SampleStore.HEALTHY + "\"} 0.777\n");
      assertThat(text).isEqualTo(Exposition.openMetrics(metrics.registry()));
      assertThat(cache.renders()).isEqualTo(1);
      assertThat(cache.perPollRenders()).isEqualTo(2);
    }

    @Test
    void stateChangeRendersAgain() {
      SnapshotStore store = SampleStore.create();
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(
              store, SampleStore.instances(), SampleStore.CLOCK);
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);
      cache.scrape(TEXT, false, List.of());
      InstanceSnapshot healthy = store.get(SampleStore.HEALTHY);

      store.put(
          SampleStore.success(
              healthy.instance(),
              Duration.ZERO,
              Duration.ofMillis(80),
              List.of(
                  SampleStore.unit(
                      "unit-new", CryptoUnitState.MAINTENANCE, "2026-03-01T12:00:00Z"))));
      String text = text(cache.scrape(TEXT, false, List.of()));

      assertThat(text).contains("crypto_unit_id=\"unit-new\",instance_id=\"" + SampleStore.HEALTHY
          + "\",state=\"maintenance\"} 1.0\n");
      assertThat(text).isEqualTo(Exposition.text(metrics.registry()));
      assertThat(cache.renders()).isEqualTo(2);
      assertThat(cache.perPollRenders()).isEqualTo(2);
    }

    @Test
    void pollPastOldExpiryKeepsRendering() {
      MutableClock clock = new MutableClock(SampleStore.NOW);
      SnapshotStore store = SampleStore.create();
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(store, SampleStore.instances(), clock);
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, clock);
      InstanceSnapshot healthy = store.get(SampleStore.HEALTHY);
      Instant expiry = healthy.unitsExpireAt();
      clock.set(expiry.minusSeconds(2));
      cache.scrape(TEXT, false, List.of());
      long rendersBefore = cache.renders();

      // The poll lands before the old expiry, so no scrape has seen the units stale.
      clock.set(expiry.minusSeconds(1));
      store.put(repoll(healthy, expiry.minusSeconds(1), Duration.ofMillis(90)));
      clock.set(expiry);
      String text = text(cache.scrape(TEXT, false, List.of()));

      assertThat(metrics.nextTimedChange(expiry.minusSeconds(2))).isAfter(expiry);
      assertThat(text).contains("keyprotect_crypto_units{instance_id=\"" + SampleStore.HEALTHY);
      assertThat(text).isEqualTo(Exposition.text(metrics.registry()));
      assertThat(cache.renders()).isEqualTo(rendersBefore);
    }

    @Test
    void unitsBackAfterExpiryShow() {
      MutableClock clock = new MutableClock(SampleStore.NOW);
      SnapshotStore store = SampleStore.create();
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(store, SampleStore.instances(), clock);
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, clock);
      InstanceSnapshot healthy = store.get(SampleStore.HEALTHY);
      Instant expiry = healthy.unitsExpireAt();
      String series = "keyprotect_crypto_units{instance_id=\"" + SampleStore.HEALTHY;
      clock.set(expiry);
      assertThat(text(cache.scrape(TEXT, false, List.of()))).doesNotContain(series);
      long rendersBefore = cache.renders();

      // The units are the same as before, so only the new expiry makes them current again.
      clock.set(expiry.plusSeconds(1));
      store.put(repoll(healthy, expiry.plusSeconds(1), Duration.ofMillis(90)));
      String text = text(cache.scrape(TEXT, false, List.of()));

      assertThat(text).contains(series);
      assertThat(text).isEqualTo(Exposition.text(metrics.registry()));
      assertThat(cache.renders()).isEqualTo(rendersBefore + 1);
    }

    @Test
    void unitExpiryShowsWithoutUpdate() {
      MutableClock clock = new MutableClock(SampleStore.NOW);
      SnapshotStore store = SampleStore.create();
      ExporterMetrics metrics =
          ExporterMetrics.createWithoutJvmMetrics(store, SampleStore.instances(), clock);
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, clock);
      Instant expiry = metrics.nextTimedChange(SampleStore.NOW);
      String expiring =
          store.all().stream()
              .filter(snapshot -> expiry.equals(snapshot.unitsExpireAt()))
              .findFirst()
              .orElseThrow()
              .instanceId();
      String series = "keyprotect_crypto_units{instance_id=\"" + expiring + "\"";
      assertThat(text(cache.scrape(TEXT, false, List.of()))).contains(series);

      clock.set(expiry.minusMillis(1));
      assertThat(text(cache.scrape(TEXT, false, List.of()))).contains(series);
      assertThat(cache.renders()).isEqualTo(1);

      clock.set(expiry);
      assertThat(text(cache.scrape(TEXT, false, List.of()))).doesNotContain(series);
      assertThat(cache.renders()).isEqualTo(2);
    }

    @Test
    void untrackedFamilyIsFreshOnEveryScrape() {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      AtomicInteger calls = new AtomicInteger();
      GaugeWithCallback.builder()
          .name("jvm_test_calls")
          .help("Number of scrapes that read this gauge.")
          .callback(callback -> callback.call(calls.incrementAndGet()))
          .register(metrics.registry());
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);

      String first = text(cache.scrape(TEXT, false, List.of()));
      String second = text(cache.scrape(TEXT, false, List.of()));

      assertThat(first).contains("jvm_test_calls 1.0\n");
      assertThat(second).contains("jvm_test_calls 2.0\n");
      assertThat(cache.renders()).isEqualTo(1);
    }

    @Test
    void jvmMetricsSurroundCachedFamilies() {
      SnapshotStore store = SampleStore.create();
      ExporterMetrics metrics =
          ExporterMetrics.create(store, SampleStore.instances(), SampleStore.CLOCK);
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);

      cache.scrape(TEXT, false, List.of());
      String text = text(cache.scrape(TEXT, false, List.of()));

      assertThat(text.indexOf("# HELP jvm_")).isNotNegative();
      assertThat(text.indexOf("# HELP jvm_")).isLessThan(text.indexOf("# HELP keyprotect_"));
      assertThat(text.lastIndexOf("# HELP keyprotect_")).isLessThan(text.indexOf("# HELP process_"));
      assertThat(cache.renders()).isEqualTo(1);
    }

    @Test
    void nameFilterKeepsNamedFamilies() {
      ExporterMetrics metrics = Exposition.sampleMetrics();
      ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, SampleStore.CLOCK);
      cache.scrape(TEXT, false, List.of());

      String filtered =
          text(cache.scrape(TEXT, false, List.of(SnapshotCollector.UP, ExporterMetrics.POLL_ERRORS)));

      List<String> types = filtered.lines().filter(l -> l.startsWith("# TYPE")).toList();
      assertThat(types)
          .containsExactly(
              "# TYPE keyprotect_poll_errors_total counter", "# TYPE keyprotect_up gauge");
      assertThat(text(cache.scrape(TEXT, false, List.of())))
          .isEqualTo(Exposition.text(metrics.registry()));
    }

    @Test
    void concurrentStaleScrapesShareOneRender() throws InterruptedException {
      BlockingCollector blocking = new BlockingCollector();
      PrometheusRegistry registry = new PrometheusRegistry();
      registry.register(blocking);
      ScrapeCache cache = new ScrapeCache(registry, new ManualChanges(), SampleStore.CLOCK);
      int scrapes = 6;
      ScrapeBody[] bodies = new ScrapeBody[scrapes];
      List<Thread> threads = new ArrayList<>();
      for (int i = 0; i < scrapes; i++) {
        int index = i;
        threads.add(new Thread(() -> bodies[index] = cache.scrape(TEXT, false, List.of())));
      }

      threads.forEach(Thread::start);
      assertThat(blocking.entered.await(60, TimeUnit.SECONDS)).isTrue();
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> threads.stream().filter(t -> t.getState() == Thread.State.BLOCKED).count()
              == scrapes - 1);
      blocking.release.countDown();
      for (Thread thread : threads) {
        thread.join(TimeUnit.SECONDS.toMillis(60));
      }

      assertThat(blocking.collects.get()).isEqualTo(1);
      assertThat(cache.renders()).isEqualTo(1);
      for (ScrapeBody body : bodies) {
        assertThat(body.bytes()).isSameAs(bodies[0].bytes());
      }
    }
  }

  /** Adds tracked and untracked families whose label values need escaping. */
  static PrometheusRegistry withOddFamilies(PrometheusRegistry registry) {
    Counter odd =
        Counter.builder()
            .name(ODD_FAMILY)
            .help("Help with a \\ backslash,\na newline and \"quotes\".")
            .labelNames("value")
            .register(registry);
    Gauge before =
        Gauge.builder().name("aaa_before").help("Untracked.").labelNames("value").register(registry);
    Counter after =
        Counter.builder().name("zzz_after").help("Untracked.").labelNames("value").register(registry);
    for (int i = 0; i < ODD_VALUES.size(); i++) {
      odd.labelValues(ODD_VALUES.get(i)).inc(i + 1);
      before.labelValues(ODD_VALUES.get(i)).set(i / 3.0);
      after.labelValues(ODD_VALUES.get(i)).inc(i + 0.5);
    }
    return registry;
  }

  static byte[] writerOutput(PrometheusRegistry registry, String accept) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    EscapingScheme escaping = EscapingScheme.fromAcceptHeader(accept);
    try {
      writerFor(accept).write(out, registry.scrape(), escaping);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  static ExpositionFormatWriter writerFor(String accept) {
    ExpositionFormats formats = ExpositionFormats.init();
    return accept == null ? formats.getPrometheusTextFormatWriter() : formats.findWriter(accept);
  }

  static ScrapeBody.Part largestPart(ScrapeBody body) {
    return body.parts().stream()
        .max(java.util.Comparator.comparingInt(ScrapeBody.Part::length))
        .orElseThrow();
  }

  static byte[] decoded(ScrapeBody body) {
    return body.gzip() ? GzipMembers.decodeSingle(body.bytes()) : body.bytes();
  }

  static byte[] gunzip(byte[] compressed) {
    return GzipMembers.decodeSingle(compressed);
  }

  static String text(ScrapeBody body) {
    return new String(decoded(body), StandardCharsets.UTF_8);
  }

  /** Returns {@code previous} after another successful poll at {@code at} with the same units. */
  static InstanceSnapshot repoll(InstanceSnapshot previous, Instant at, Duration duration) {
    return new InstanceSnapshot(previous.instance(), previous.units(), at, at.plusSeconds(90),
        true, true, duration, null, null);
  }

  /** Changes that a test triggers by hand, tracking the families that a predicate accepts. */
  static final class ManualChanges implements MetricChanges {

    private final AtomicLong generation = new AtomicLong();
    private final Predicate<String> tracked;

    ManualChanges() {
      this(name -> name.startsWith(ExporterMetrics.PREFIX));
    }

    ManualChanges(Predicate<String> tracked) {
      this.tracked = tracked;
    }

    void changed() {
      generation.incrementAndGet();
    }

    @Override
    public long generation() {
      return generation.get();
    }

    @Override
    public Instant nextTimedChange(Instant now) {
      return null;
    }

    @Override
    public boolean tracks(String prometheusName) {
      return tracked.test(prometheusName);
    }
  }

  /** A clock that stays at one instant until a test moves it. */
  static final class MutableClock extends Clock {

    private volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    void set(Instant instant) {
      now = instant;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  /** A tracked collector whose first collect blocks until the test releases it. */
  static final class BlockingCollector implements MultiCollector {

    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    final AtomicInteger collects = new AtomicInteger();

    @Override
    public MetricSnapshots collect() {
      collects.incrementAndGet();
      entered.countDown();
      try {
        release.await(60, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return MetricSnapshots.of(
          GaugeSnapshot.builder()
              .name("keyprotect_blocking")
              .help("Blocks the first render.")
              .dataPoint(
                  GaugeSnapshot.GaugeDataPointSnapshot.builder()
                      .value(1)
                      .labels(Labels.EMPTY)
                      .build())
              .build());
    }

    @Override
    public List<String> getPrometheusNames() {
      return List.of("keyprotect_blocking");
    }
  }
}
