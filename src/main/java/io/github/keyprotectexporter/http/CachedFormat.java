package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.metrics.MetricChanges;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * The scrape cache of one exposition format and escaping scheme. It keeps the tracked families
 * rendered until {@link MetricChanges} reports a change, and renders the untracked families, such
 * as JVM metrics, on every scrape.
 *
 * <p>A writer renders families one after the other in name order and ends with a fixed trailer
 * (in client_java 1.10.0, OpenMetrics writes {@code # EOF} and the others write nothing), so
 * families rendered in separate parts and joined in name order give the same bytes as one render
 * of all of them.
 */
final class CachedFormat {

  private final PrometheusRegistry registry;
  private final MetricChanges changes;
  private final Clock clock;
  private final ExpositionFormatWriter writer;
  private final EscapingScheme escaping;
  private final AtomicLong renders;
  private final byte[] trailer;
  private final Predicate<String> untrackedNames;
  private volatile Rendering rendering;

  /** Creates the cache of one format; {@code renders} counts renders of the tracked families. */
  CachedFormat(
      PrometheusRegistry registry,
      MetricChanges changes,
      Clock clock,
      ExpositionFormatWriter writer,
      EscapingScheme escaping,
      AtomicLong renders) {
    this.registry = registry;
    this.changes = changes;
    this.clock = clock;
    this.writer = writer;
    this.escaping = escaping;
    this.renders = renders;
    this.trailer = render(new MetricSnapshots());
    this.untrackedNames = name -> !changes.tracks(name);
  }

  /** Returns the body of a scrape of the whole registry. */
  ScrapeBody scrape(boolean gzip) {
    long generation = changes.generation();
    Instant now = clock.instant();
    Rendering tracked = current(generation, now);
    MetricSnapshots untracked = registry.scrape(untrackedNames);
    if (untracked.size() == 0) {
      return assemble(gzip, null, tracked, null);
    }

    List<MetricSnapshot> before = new ArrayList<>();
    List<MetricSnapshot> after = new ArrayList<>();
    for (MetricSnapshot family : untracked) {
      String name = family.getMetadata().getPrometheusName();
      if (tracked.firstName() == null || name.compareTo(tracked.firstName()) < 0) {
        before.add(family);
      } else if (name.compareTo(tracked.lastName()) > 0) {
        after.add(family);
      } else {
        // Untracked names sort between tracked ones, so the parts cannot be joined in order.
        return renderWhole(gzip);
      }
    }
    return assemble(gzip, partOf(before), tracked, partOf(after));
  }

  /** Returns the body of a scrape of the families that {@code filter} accepts, not cached. */
  ScrapeBody scrapeFiltered(boolean gzip, java.util.function.Predicate<String> filter)
      {
    byte[] body = render(registry.scrape(filter));
    return new ScrapeBody(writer.getContentType(), gzip, List.of(gzip ? Gzip.compress(body) : body));
  }

  /**
   * Returns the rendering of the tracked families, rendering them again when it is older than
   * {@code generation} or past a timed change. Scrapes that find it stale at the same time wait
   * for one render and share it.
   */
  private Rendering current(long generation, Instant now) {
    Rendering cached = rendering;
    if (cached != null && cached.currentFor(generation, now)) {
      return cached;
    }
    synchronized (this) {
      cached = rendering;
      if (cached != null && cached.currentFor(generation, now)) {
        return cached;
      }
      cached = renderTracked();
      rendering = cached;
      return cached;
    }
  }

  private Rendering renderTracked() {
    // Both readings come before the registry is read, so an update during the render leaves
    // the rendering stale instead of hiding the update.
    long generation = changes.generation();
    Instant now = clock.instant();
    MetricSnapshots families = registry.scrape(changes::tracks);
    byte[] body = withoutTrailer(render(families));
    renders.incrementAndGet();
    if (families.size() == 0) {
      return new Rendering(generation, changes.nextTimedChange(now), body, null, null);
    }
    String first = families.get(0).getMetadata().getPrometheusName();
    String last = families.get(families.size() - 1).getMetadata().getPrometheusName();
    return new Rendering(generation, changes.nextTimedChange(now), body, first, last);
  }

  private ScrapeBody renderWhole(boolean gzip) {
    return scrapeFiltered(gzip, name -> true);
  }

  /**
   * Joins the parts in order. With gzip, the parts form one gzip member: the header, a deflate
   * segment for each part, the footer with the CRC-32 of all parts. The tracked families'
   * segment and, without untracked parts, the whole member come from the rendering's cache.
   */
  private ScrapeBody assemble(boolean gzip, byte[] before, Rendering tracked, byte[] after) {
    if (!gzip && before == null && after == null) {
      // The common case gets an immutable list, which ScrapeBody keeps without a copy.
      List<byte[]> parts =
          trailer.length == 0 ? List.of(tracked.body()) : List.of(tracked.body(), trailer);
      return new ScrapeBody(writer.getContentType(), false, parts);
    }
    if (!gzip) {
      List<byte[]> parts = new ArrayList<>(4);
      addIfNotEmpty(parts, before);
      addIfNotEmpty(parts, tracked.body());
      addIfNotEmpty(parts, after);
      addIfNotEmpty(parts, trailer);
      return new ScrapeBody(writer.getContentType(), false, parts);
    }
    if (before == null && after == null) {
      return new ScrapeBody(writer.getContentType(), true, List.of(tracked.gzipMember(trailer)));
    }

    byte[] first = before == null ? new byte[0] : before;
    byte[] last = after == null ? trailer : join(after);
    int crc = Gzip.combine(Gzip.crc(first), tracked.crc(), tracked.body().length);
    crc = Gzip.combine(crc, Gzip.crc(last), last.length);
    long length = (long) first.length + tracked.body().length + last.length;
    List<byte[]> parts = new ArrayList<>(5);
    parts.add(Gzip.HEADER);
    addIfNotEmpty(parts, first.length == 0 ? null : Gzip.segment(first, false));
    parts.add(tracked.gzipSegment());
    parts.add(Gzip.segment(last, true));
    parts.add(Gzip.footer(crc, length));
    return new ScrapeBody(writer.getContentType(), true, parts);
  }

  private byte[] join(byte[] after) {
    byte[] joined = Arrays.copyOf(after, after.length + trailer.length);
    System.arraycopy(trailer, 0, joined, after.length, trailer.length);
    return joined;
  }

  private byte[] partOf(List<MetricSnapshot> families) {
    if (families.isEmpty()) {
      return null;
    }
    return withoutTrailer(render(new MetricSnapshots(families)));
  }

  private byte[] render(MetricSnapshots families) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    try {
      writer.write(out, families, escaping);
    } catch (IOException e) {
      // ByteArrayOutputStream does not throw IOException, so only the writer can raise one here.
      throw new IllegalStateException("Failed to render metrics: " + e, e);
    }
    return out.toByteArray();
  }

  private byte[] withoutTrailer(byte[] rendered) {
    int end = rendered.length - trailer.length;
    if (end < 0 || !Arrays.equals(rendered, end, rendered.length, trailer, 0, trailer.length)) {
      throw new IllegalStateException(
          "Output of " + writer.getClass().getSimpleName() + " does not end with its trailer");
    }
    return end == rendered.length ? rendered : Arrays.copyOf(rendered, end);
  }

  private static void addIfNotEmpty(List<byte[]> parts, byte[] part) {
    if (part != null && part.length > 0) {
      parts.add(part);
    }
  }
}
