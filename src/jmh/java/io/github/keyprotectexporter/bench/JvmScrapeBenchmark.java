package io.github.keyprotectexporter.bench;

import io.github.keyprotectexporter.http.ScrapeBody;
import io.github.keyprotectexporter.http.ScrapeCache;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
 * A cached text scrape as the running agent serves it, JVM and process metrics included: those
 * are rendered on every scrape and joined around the cached part. Run with
 * {@code bench/run JvmScrapeBenchmark -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class JvmScrapeBenchmark {

  @Param({"1000"})
  public int instances;

  private ScrapeCache cache;

  @Setup(Level.Trial)
  public void setUp() {
    Fleet fleet = Fleet.of(instances, true);
    cache = new ScrapeCache(fleet.metrics.registry(), fleet.metrics, Fleet.CLOCK);
  }

  @Benchmark
  public ScrapeBody cachedTextWithJvm() throws IOException {
    ScrapeBody body = cache.scrape(ScrapeBenchmark.TEXT_ACCEPT, false, List.of());
    body.writeTo(ScrapeBenchmark.SINK);
    return body;
  }

  @Benchmark
  public ScrapeBody cachedGzipWithJvm() throws IOException {
    ScrapeBody body = cache.scrape(ScrapeBenchmark.TEXT_ACCEPT, true, List.of());
    body.writeTo(ScrapeBenchmark.SINK);
    return body;
  }
}
