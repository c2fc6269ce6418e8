package io.github.keyprotectexporter.http;

import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The scrape cache of one exposition format and escaping scheme. Each {@link CachedTier} keeps the
 * families that its changes track rendered until they change. The families that no tier tracks,
 * such as JVM metrics, are rendered on every scrape.
 *
 * <p>A writer renders families one after the other in name order and ends with a fixed trailer,
 * so families rendered in separate parts and joined in name order give the same bytes as one
 * render of all of them. A tier's rendering notes where each family starts, so the families of
 * the other tiers and the untracked ones go between its slices wherever their names sort.
 */
final class CachedFormat {

  private final PrometheusRegistry registry;
  private final FormatWriter format;
  private final Clock clock;
  private final List<CachedTier> tiers;
  private final Predicate<String> untrackedNames;
  /** The whole body built from the tiers' renderings, for scrapes without untracked families. */
  private volatile Joined joined;

  CachedFormat(
      PrometheusRegistry registry, FormatWriter format, Clock clock, List<CachedTier> tiers) {
    this.registry = registry;
    this.format = format;
    this.clock = clock;
    this.tiers = List.copyOf(tiers);
    this.untrackedNames = this::untracked;
  }

  /** Returns the body of a scrape of the whole registry. */
  ScrapeBody scrape(boolean gzip) {
    Instant now = clock.instant();
    Rendering[] renderings = new Rendering[tiers.size()];
    for (int i = 0; i < renderings.length; i++) {
      renderings[i] = tiers.get(i).current(now);
    }
    MetricSnapshots untracked = registry.scrape(untrackedNames);
    if (untracked.size() == 0) {
      return joined(renderings).body(gzip);
    }
    return assemble(gzip, pieces(renderings, untracked));
  }

  /** Returns the body of a scrape of the families that {@code filter} accepts, not cached. */
  ScrapeBody scrapeFiltered(boolean gzip, Predicate<String> filter) {
    byte[] body = format.render(registry.scrape(filter));
    byte[] sent = gzip ? Gzip.compress(body) : body;
    return new ScrapeBody(format.contentType(), gzip, List.of(ScrapeBody.Part.of(sent)));
  }

  private boolean untracked(String prometheusName) {
    for (CachedTier tier : tiers) {
      if (tier.tracks(prometheusName)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Returns the body joined from {@code renderings}, built again only when one of them is new.
   * Two scrapes that build it at the same time build equal bodies, so the later one may replace
   * the other.
   */
  private Joined joined(Rendering[] renderings) {
    Joined cached = joined;
    if (cached != null && cached.joins(renderings)) {
      return cached;
    }
    List<Piece> pieces = pieces(renderings, new MetricSnapshots());
    cached = new Joined(renderings, assemble(false, pieces), pieces);
    joined = cached;
    return cached;
  }

  /**
   * Splits the scrape into pieces in name order: slices of the tiers' renderings, and runs of
   * untracked families rendered now between them.
   */
  private List<Piece> pieces(Rendering[] renderings, MetricSnapshots untracked) {
    List<Piece> pieces = new ArrayList<>();
    int[] next = new int[renderings.length];
    List<MetricSnapshot> run = new ArrayList<>();
    for (MetricSnapshot family : untracked) {
      String name = family.getMetadata().getPrometheusName();
      if (smallestBefore(renderings, next, name) >= 0) {
        addRun(pieces, run);
        addSlicesBefore(pieces, renderings, next, name);
      }
      run.add(family);
    }
    addRun(pieces, run);
    addSlicesBefore(pieces, renderings, next, null);
    return pieces;
  }

  /**
   * Adds the families of every rendering whose names sort before {@code limit}, or all remaining
   * ones when it is null, in name order. For each rendering, {@code next} is the index of its first
   * family not added yet, and this method moves it forward.
   */
  private static void addSlicesBefore(
      List<Piece> pieces, Rendering[] renderings, int[] next, String limit) {
    int tier;
    while ((tier = smallestBefore(renderings, next, limit)) >= 0) {
      String bound = limit;
      for (int other = 0; other < renderings.length; other++) {
        if (other != tier && next[other] < renderings[other].familyCount()) {
          bound = min(bound, renderings[other].name(next[other]));
        }
      }
      Rendering rendering = renderings[tier];
      int to = bound == null ? rendering.familyCount() : rendering.familiesBefore(bound);
      // Tiers track disjoint families, but a name in two tiers must not stop the loop.
      to = Math.max(to, next[tier] + 1);
      pieces.add(Piece.of(rendering.slice(next[tier], to)));
      next[tier] = to;
    }
  }

  /**
   * Returns the rendering whose next family has the smallest name below {@code limit}, or -1 when
   * none has one. A null limit is above every name.
   */
  private static int smallestBefore(Rendering[] renderings, int[] next, String limit) {
    int smallest = -1;
    String smallestName = limit;
    for (int tier = 0; tier < renderings.length; tier++) {
      if (next[tier] < renderings[tier].familyCount()) {
        String name = renderings[tier].name(next[tier]);
        if (smallestName == null || name.compareTo(smallestName) < 0) {
          smallest = tier;
          smallestName = name;
        }
      }
    }
    return smallest;
  }

  private static String min(String a, String b) {
    return a == null || b.compareTo(a) < 0 ? b : a;
  }

  private void addRun(List<Piece> pieces, List<MetricSnapshot> run) {
    if (!run.isEmpty()) {
      pieces.add(Piece.of(format.renderWithoutTrailer(new MetricSnapshots(run))));
      run.clear();
    }
  }

  /**
   * Joins the pieces and the trailer in order. With gzip, they form one gzip member: the header, a
   * deflate segment for each piece, a last segment for the trailer, and the footer with the CRC-32
   * of all of them. The segments of slices come from the renderings' caches.
   */
  private ScrapeBody assemble(boolean gzip, List<Piece> pieces) {
    byte[] trailer = format.trailer();
    List<ScrapeBody.Part> parts = new ArrayList<>(pieces.size() + 3);
    if (!gzip) {
      for (Piece piece : pieces) {
        addIfNotEmpty(parts, piece.part());
      }
      addIfNotEmpty(parts, ScrapeBody.Part.of(trailer));
      return new ScrapeBody(format.contentType(), false, parts);
    }
    parts.add(ScrapeBody.Part.of(Gzip.HEADER));
    int crc = 0;
    long length = 0;
    for (Piece piece : pieces) {
      parts.add(ScrapeBody.Part.of(piece.gzipSegment()));
      crc = Gzip.combine(crc, piece.crc(), piece.part().length());
      length += piece.part().length();
    }
    parts.add(ScrapeBody.Part.of(Gzip.segment(trailer, true)));
    crc = Gzip.combine(crc, Gzip.crc(trailer), trailer.length);
    length += trailer.length;
    parts.add(ScrapeBody.Part.of(Gzip.footer(crc, length)));
    return new ScrapeBody(format.contentType(), true, parts);
  }

  private static void addIfNotEmpty(List<ScrapeBody.Part> parts, ScrapeBody.Part part) {
    if (part.length() > 0) {
      parts.add(part);
    }
  }

  /**
   * The body of a scrape without untracked families, built from one rendering of each tier. The
   * gzip body is built on its first request and kept in one array, because it is small next to
   * the plain one and one array lets every scrape send it without allocating.
   */
  private final class Joined {

    private final Rendering[] renderings;
    private final ScrapeBody plain;
    private final List<Piece> pieces;
    private volatile ScrapeBody gzip;

    Joined(Rendering[] renderings, ScrapeBody plain, List<Piece> pieces) {
      this.renderings = renderings;
      this.plain = plain;
      this.pieces = pieces;
    }

    boolean joins(Rendering[] current) {
      for (int i = 0; i < renderings.length; i++) {
        if (renderings[i] != current[i]) {
          return false;
        }
      }
      return true;
    }

    ScrapeBody body(boolean compressed) {
      if (!compressed) {
        return plain;
      }
      ScrapeBody body = gzip;
      return body != null ? body : compress();
    }

    private synchronized ScrapeBody compress() {
      if (gzip == null) {
        ScrapeBody parts = assemble(true, pieces);
        byte[] member = parts.bytes();
        gzip = new ScrapeBody(parts.contentType(), true, List.of(ScrapeBody.Part.of(member)));
      }
      return gzip;
    }
  }

  /**
   * Bytes of the scrape body, either a slice of a tier's rendering, whose CRC-32 and deflate
   * segment come from the rendering's cache, or untracked families, compressed on request.
   */
  private record Piece(ScrapeBody.Part part, Rendering.Slice slice) {

    static Piece of(Rendering.Slice slice) {
      return new Piece(slice.part(), slice);
    }

    static Piece of(byte[] bytes) {
      return new Piece(ScrapeBody.Part.of(bytes), null);
    }

    int crc() {
      return slice != null ? slice.crc() : Gzip.crc(part.array(), part.offset(), part.length());
    }

    byte[] gzipSegment() {
      return slice != null
          ? slice.gzipSegment()
          : Gzip.segment(part.array(), part.offset(), part.length(), false);
    }
  }
}
