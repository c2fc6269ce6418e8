package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.metrics.MetricChanges;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Renders scrapes of a registry in the exposition format that the {@code Accept} header requests,
 * and keeps the families that {@link MetricChanges} tracks rendered, plain and gzip-compressed,
 * until they change. The families of {@link MetricChanges#perPoll()} are kept in a second tier
 * with its own generation, so a poll that changes only them leaves the first tier cached.
 * Untracked families, such as JVM metrics, are rendered on every scrape. The bytes are the same as
 * those of the client library's writer for the whole registry.
 *
 * <pre>{@code
 * ScrapeCache cache = new ScrapeCache(metrics.registry(), metrics, Clock.systemUTC());
 * ScrapeBody body = cache.scrape(request.header("Accept"), true, List.of());
 * body.writeTo(out);
 * }</pre>
 *
 * <p>Scrapes filtered by name are rendered on every call, because each filter would need its own
 * cache entry.
 *
 * <p>Which families are tracked is up to {@link MetricChanges}. The agent puts the ones that
 * change on every poll in the second tier, so a poll that finds the same crypto units renders only
 * those again.
 */
public final class ScrapeCache {

  private final PrometheusRegistry registry;
  private final MetricChanges changes;
  private final MetricChanges perPollChanges;
  private final Clock clock;
  private final ExpositionFormats formats = ExpositionFormats.init();
  private final Map<Format, CachedFormat> cached = new ConcurrentHashMap<>();
  private final Map<String, CachedFormat> byAccept = new ConcurrentHashMap<>();
  private final AtomicLong renders = new AtomicLong();
  private final AtomicLong perPollRenders = new AtomicLong();

  /**
   * Maximum number of distinct {@code Accept} headers whose format is remembered. Scrapers send
   * one fixed header each, so a handful is typical. Beyond the limit, headers are parsed per scrape.
   */
  static final int MAX_ACCEPT_HEADERS = 64;

  /** Key for a missing header, which no real header can equal because headers exclude NUL. */
  private static final String NO_ACCEPT = "\u0000";

  private record Format(ExpositionFormatWriter writer, EscapingScheme escaping) {}

  public ScrapeCache(PrometheusRegistry registry, MetricChanges changes, Clock clock) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.changes = Objects.requireNonNull(changes, "changes");
    this.perPollChanges = Objects.requireNonNull(changes.perPoll(), "changes.perPoll()");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Returns the body of one scrape.
   *
   * @param accept the request's {@code Accept} header, or null for the Prometheus text format
   * @param gzip whether to compress the body with gzip
   * @param names the metric names to keep, or an empty list to keep every family
   */
  public ScrapeBody scrape(String accept, boolean gzip, List<String> names) {
    CachedFormat format = formatFor(accept);
    if (names.isEmpty()) {
      return format.scrape(gzip);
    }
    return format.scrapeFiltered(gzip, MetricNameFilter.builder().nameMustBeEqualTo(names).build());
  }

  /** Returns how often the families that {@code changes} tracks were rendered, in all formats. */
  long renders() {
    return renders.get();
  }

  /** Returns how often the families of {@code changes.perPoll()} were rendered, in all formats. */
  long perPollRenders() {
    return perPollRenders.get();
  }

  /**
   * Returns the cache of the format that {@code accept} selects. Headers seen before are looked up
   * without parsing, because parsing allocates on every scrape.
   */
  private CachedFormat formatFor(String accept) {
    String key = accept == null ? NO_ACCEPT : accept;
    CachedFormat format = byAccept.get(key);
    if (format != null) {
      return format;
    }
    ExpositionFormatWriter writer = writerFor(accept);
    EscapingScheme escaping = escapingFor(accept);
    format = cached.computeIfAbsent(new Format(writer, escaping), this::newFormat);
    if (byAccept.size() < MAX_ACCEPT_HEADERS) {
      byAccept.putIfAbsent(key, format);
    }
    return format;
  }

  private CachedFormat newFormat(Format key) {
    FormatWriter writer = new FormatWriter(key.writer(), key.escaping());
    List<CachedTier> tiers =
        List.of(
            new CachedTier(registry, changes, writer, clock, renders),
            new CachedTier(registry, perPollChanges, writer, clock, perPollRenders));
    return new CachedFormat(registry, writer, clock, tiers);
  }

  /**
   * Returns the writer for {@code accept}, or the text writer when the header is missing, names no
   * known format or names one whose writer is not on the class path.
   */
  private ExpositionFormatWriter writerFor(String accept) {
    ExpositionFormatWriter text = formats.getPrometheusTextFormatWriter();
    if (accept == null) {
      return text;
    }
    try {
      ExpositionFormatWriter writer = formats.findWriter(accept);
      return writer != null && writer.isAvailable() ? writer : text;
    } catch (RuntimeException e) {
      return text;
    }
  }

  private static EscapingScheme escapingFor(String accept) {
    try {
      return EscapingScheme.fromAcceptHeader(accept);
    } catch (RuntimeException e) {
      return EscapingScheme.DEFAULT;
    }
  }
}
