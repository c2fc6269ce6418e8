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
 * of all of them. The rendering of the tracked families notes where each family starts, so the
 * untracked families of a scrape go between its slices wherever their names sort.
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
      return whole(gzip, tracked);
    }
    return assemble(gzip, pieces(tracked, untracked));
  }

  /** Returns the body of a scrape of the families that {@code filter} accepts, not cached. */
  ScrapeBody scrapeFiltered(boolean gzip, Predicate<String> filter) {
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
      if (cached != null && stillCurrent(cached, generation, now)) {
        return cached;
      }
      cached = renderTracked();
      rendering = cached;
      return cached;
    }
  }

  /**
   * Returns true when a rendering past its timed change still shows the families at {@code now}.
   * Polls move the expiry of units forward without an update, so the timed change that the
   * rendering noted may no longer exist. The rendering is kept when no expiry of the current
   * snapshots falls between its render and {@code now}.
   */
  private boolean stillCurrent(Rendering cached, long generation, Instant now) {
    if (cached.generation() < generation) {
      return false;
    }
    Instant next = changes.nextTimedChange(cached.renderedAt());
    if (next != null && !now.isBefore(next)) {
      return false;
    }
    cached.extendUntil(next);
    return true;
  }

  private Rendering renderTracked() {
    // The generation, the time and the next timed change are all read before the registry, so an
    // update during the render leaves the rendering stale instead of hiding the update.
    long generation = changes.generation();
    Instant now = clock.instant();
    Instant validUntil = changes.nextTimedChange(now);
    MetricSnapshots families = registry.scrape(changes::tracks);
    String[] names = new String[families.size()];
    int[] offsets = new int[families.size() + 1];
    RenderBuffer out = new RenderBuffer();
    for (int i = 0; i < families.size(); i++) {
      names[i] = families.get(i).getMetadata().getPrometheusName();
      offsets[i] = out.size();
      renderFamily(out, families.get(i));
    }
    offsets[families.size()] = out.size();
    renders.incrementAndGet();
    return new Rendering(generation, now, validUntil, out.toByteArray(), names, offsets);
  }

  /** Appends one family to {@code out}, without the trailer that the writer adds after it. */
  private void renderFamily(RenderBuffer out, MetricSnapshot family) {
    int start = out.size();
    write(out, new MetricSnapshots(family));
    if (!out.endsWith(start, trailer)) {
      throw new IllegalStateException(
          "Output of " + writer.getClass().getSimpleName() + " does not end with its trailer");
    }
    out.dropLast(trailer.length);
  }

  /**
   * Splits the scrape into pieces in name order: runs of untracked families rendered now, and
   * slices of the tracked rendering between them.
   */
  private List<Piece> pieces(Rendering tracked, MetricSnapshots untracked) {
    List<Piece> pieces = new ArrayList<>();
    List<MetricSnapshot> run = new ArrayList<>();
    int from = 0;
    for (MetricSnapshot family : untracked) {
      int at = tracked.familiesBefore(family.getMetadata().getPrometheusName());
      if (at > from) {
        addRun(pieces, run);
        pieces.add(Piece.of(tracked.slice(from, at)));
        from = at;
      }
      run.add(family);
    }
    addRun(pieces, run);
    if (from < tracked.familyCount()) {
      pieces.add(Piece.of(tracked.slice(from, tracked.familyCount())));
    }
    return pieces;
  }

  private void addRun(List<Piece> pieces, List<MetricSnapshot> run) {
    if (!run.isEmpty()) {
      pieces.add(Piece.of(withoutTrailer(render(new MetricSnapshots(run)))));
      run.clear();
    }
  }

  /** Returns the body that only the tracked families make, from the rendering's cache. */
  private ScrapeBody whole(boolean gzip, Rendering tracked) {
    if (gzip) {
      return new ScrapeBody(writer.getContentType(), true, List.of(tracked.gzipMember(trailer)));
    }
    // An immutable list, which ScrapeBody keeps without a copy.
    List<byte[]> parts =
        trailer.length == 0 ? List.of(tracked.body()) : List.of(tracked.body(), trailer);
    return new ScrapeBody(writer.getContentType(), false, parts);
  }

  /**
   * Joins the pieces and the trailer in order. With gzip, they form one gzip member: the header, a
   * deflate segment for each piece, a last segment for the trailer, and the footer with the CRC-32
   * of all of them. The segments of tracked slices come from the rendering's cache.
   */
  private ScrapeBody assemble(boolean gzip, List<Piece> pieces) {
    List<byte[]> parts = new ArrayList<>(pieces.size() + 3);
    if (!gzip) {
      for (Piece piece : pieces) {
        addIfNotEmpty(parts, piece.bytes());
      }
      addIfNotEmpty(parts, trailer);
      return new ScrapeBody(writer.getContentType(), false, parts);
    }
    parts.add(Gzip.HEADER);
    int crc = 0;
    long length = 0;
    for (Piece piece : pieces) {
      parts.add(piece.gzipSegment());
      crc = Gzip.combine(crc, piece.crc(), piece.bytes().length);
      length += piece.bytes().length;
    }
    parts.add(Gzip.segment(trailer, true));
    crc = Gzip.combine(crc, Gzip.crc(trailer), trailer.length);
    length += trailer.length;
    parts.add(Gzip.footer(crc, length));
    return new ScrapeBody(writer.getContentType(), true, parts);
  }

  private byte[] render(MetricSnapshots families) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    write(out, families);
    return out.toByteArray();
  }

  private void write(ByteArrayOutputStream out, MetricSnapshots families) {
    try {
      writer.write(out, families, escaping);
    } catch (IOException e) {
      // ByteArrayOutputStream does not throw IOException, so only the writer can raise one here.
      throw new IllegalStateException("Failed to render metrics: " + e, e);
    }
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
    if (part.length > 0) {
      parts.add(part);
    }
  }

  /**
   * Bytes of the scrape body, either a slice of the tracked rendering, whose CRC-32 and deflate
   * segment come from the rendering's cache, or untracked families, compressed on request.
   */
  private record Piece(byte[] bytes, Rendering.Slice slice) {

    static Piece of(Rendering.Slice slice) {
      return new Piece(slice.bytes(), slice);
    }

    static Piece of(byte[] bytes) {
      return new Piece(bytes, null);
    }

    int crc() {
      return slice != null ? slice.crc() : Gzip.crc(bytes);
    }

    byte[] gzipSegment() {
      return slice != null ? slice.gzipSegment() : Gzip.segment(bytes, false);
    }
  }

  /** A buffer whose last bytes can be compared and dropped, to strip a writer's trailer. */
  private static final class RenderBuffer extends ByteArrayOutputStream {

    RenderBuffer() {
      super(64 * 1024);
    }

    boolean endsWith(int start, byte[] suffix) {
      int from = count - suffix.length;
      return from >= start && Arrays.equals(buf, from, count, suffix, 0, suffix.length);
    }

    void dropLast(int length) {
      count -= length;
    }
  }
}
