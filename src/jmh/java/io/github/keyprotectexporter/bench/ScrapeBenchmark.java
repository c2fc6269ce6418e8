package io.github.keyprotectexporter.bench;

import io.github.keyprotectexporter.http.ScrapeBody;
import io.github.keyprotectexporter.http.ScrapeCache;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Time and allocation of one {@code /metrics} scrape in the Prometheus text format, without the
 * HTTP server, for fleets of 10 to 10,000 instances with 3 crypto units each and no JVM metrics.
 *
 * <ul>
 *   <li>{@code cached*}: the agent's scrape as {@code MetricsEndpoint} runs it, served whole from
 *       the {@link ScrapeCache} while nothing changes, with its parts written to a null stream.
 *   <li>{@code updated*}: the agent's scrape right after an update of a cached family (one
 *       skipped poll counted), so the cache renders the large tier again: the cost of a miss.
 *   <li>{@code afterPoll*}: the agent's scrape right after a poll of one instance that found the
 *       same crypto units, with a new poll time and duration and one more API request. Only the
 *       per-poll families are rendered again.
 *   <li>{@code baseline*}: build the registry's snapshots and write them with the client
 *       library's text writer on every scrape, into a new array as the endpoint did before the
 *       cache.
 * </ul>
 *
 * <p>Run with {@code bench/run ScrapeBenchmark -prof gc}; {@code gc.alloc.rate.norm} is the
 * allocation per scrape. {@code ScrapeSizes} prints the bytes each scrape sends.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ScrapeBenchmark {

  static final String TEXT_ACCEPT = "text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

  /** The stream that discards the body the agent's benchmarks write, as the endpoint writes it. */
  static final OutputStream SINK = OutputStream.nullOutputStream();

  @Param({"10", "100", "1000", "10000"})
  public int instances;

  private Fleet fleet;
  private String updatedInstance;
  private PrometheusRegistry registry;
  private ScrapeCache cache;
  private final ExpositionFormatWriter writer =
      ExpositionFormats.init().getPrometheusTextFormatWriter();

  @Setup(Level.Trial)
  public void setUp() {
    fleet = Fleet.of(instances, false);
    updatedInstance = fleet.store.all().get(0).instanceId();
    registry = fleet.metrics.registry();
    cache = new ScrapeCache(registry, fleet.metrics, Fleet.CLOCK);
  }

  @Benchmark
  public ScrapeBody cachedText() throws IOException {
    ScrapeBody body = cache.scrape(TEXT_ACCEPT, false, List.of());
    body.writeTo(SINK);
    return body;
  }

  @Benchmark
  public ScrapeBody cachedGzip() throws IOException {
    ScrapeBody body = cache.scrape(TEXT_ACCEPT, true, List.of());
    body.writeTo(SINK);
    return body;
  }

  @Benchmark
  public ScrapeBody updatedText() throws IOException {
    fleet.metrics.pollSkipped(updatedInstance);
    ScrapeBody body = cache.scrape(TEXT_ACCEPT, false, List.of());
    body.writeTo(SINK);
    return body;
  }

  @Benchmark
  public ScrapeBody updatedGzip() throws IOException {
    fleet.metrics.pollSkipped(updatedInstance);
    ScrapeBody body = cache.scrape(TEXT_ACCEPT, true, List.of());
    body.writeTo(SINK);
    return body;
  }

  @Benchmark
  public ScrapeBody afterPollText() throws IOException {
    repoll();
    ScrapeBody body = cache.scrape(TEXT_ACCEPT, false, List.of());
    body.writeTo(SINK);
    return body;
  }

  @Benchmark
  public ScrapeBody afterPollGzip() throws IOException {
    repoll();
    ScrapeBody body = cache.scrape(TEXT_ACCEPT, true, List.of());
    body.writeTo(SINK);
    return body;
  }

  /**
   * Stores a poll of the first instance with its units unchanged, one millisecond later than the
   * previous one, and counts its API request, as a steady poll does.
   */
  private void repoll() {
    InstanceSnapshot previous = fleet.store.get(updatedInstance);
    Instant polledAt = previous.unitsPolledAt().plusMillis(1);
    Duration expiry = Duration.between(previous.unitsPolledAt(), previous.unitsExpireAt());
    fleet.store.put(
        new InstanceSnapshot(previous.instance(), previous.units(), polledAt,
            polledAt.plus(expiry), true, true, previous.lastPollDuration().plusNanos(1000), null,
            null));
    fleet.metrics.requestCompleted(updatedInstance, ApiRequestListener.LIST_CRYPTO_UNITS, "200");
  }

  @Benchmark
  public byte[] baselineText() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    writer.write(body, registry.scrape());
    return body.toByteArray();
  }

  @Benchmark
  public byte[] baselineGzip() throws IOException {
    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    try (OutputStream out = new GZIPOutputStream(body)) {
      writer.write(out, registry.scrape());
    }
    return body.toByteArray();
  }

  /** Returns the body of one cached scrape of a new fleet, for {@link ScrapeSizes}. */
  static ScrapeBody sample(int instances, boolean gzip) {
    Fleet fleet = Fleet.of(instances, false);
    ScrapeCache cache = new ScrapeCache(fleet.metrics.registry(), fleet.metrics, Fleet.CLOCK);
    return cache.scrape(TEXT_ACCEPT, gzip, List.of());
  }
}
