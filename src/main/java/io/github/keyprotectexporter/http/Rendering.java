package io.github.keyprotectexporter.http;

import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tracked metric families rendered in one exposition format, without the format's trailer,
 * with the change generation and time until which they stay current. It also keeps the slices
 * between the families of other parts of the scrape, and their gzip forms, once a scrape requests
 * them.
 */
final class Rendering {

  private final long generation;
  private final Instant renderedAt;
  private final byte[] body;
  private final String[] names;
  private final int[] offsets;
  private final Map<Long, Slice> slices = new ConcurrentHashMap<>();
  private volatile Instant validUntil;
  private volatile byte[] gzipMember;

  /**
   * A run of consecutive families: a range of the rendering's body, not a copy, with its CRC-32
   * and deflate segment, each computed once on its first request, so plain scrapes never compress.
   */
  static final class Slice {

    private final ScrapeBody.Part part;
    private volatile Integer crc;
    private volatile byte[] gzipSegment;

    Slice(ScrapeBody.Part part) {
      this.part = part;
    }

    ScrapeBody.Part part() {
      return part;
    }

    int crc() {
      Integer value = crc;
      return value != null ? value : computeCrc();
    }

    byte[] gzipSegment() {
      byte[] segment = gzipSegment;
      return segment != null ? segment : compress();
    }

    private synchronized int computeCrc() {
      if (crc == null) {
        crc = Gzip.crc(part.array(), part.offset(), part.length());
      }
      return crc;
    }

    private synchronized byte[] compress() {
      if (gzipSegment == null) {
        gzipSegment = Gzip.segment(part.array(), part.offset(), part.length(), false);
      }
      return gzipSegment;
    }
  }

  /**
   * @param renderedAt the time whose state the body shows
   * @param validUntil the first time at which the families change without an update, or null
   * @param names the Prometheus names of the families in {@code body}, in order
   * @param offsets the start of each family in {@code body}, followed by {@code body.length}
   */
  Rendering(
      long generation,
      Instant renderedAt,
      Instant validUntil,
      byte[] body,
      String[] names,
      int[] offsets) {
    if (offsets.length != names.length + 1) {
      throw new IllegalArgumentException(
          "offsets must have one entry per family plus the end, got " + offsets.length
              + " for " + names.length + " families");
    }
    this.generation = generation;
    this.renderedAt = renderedAt;
    this.validUntil = validUntil;
    this.body = body;
    this.names = names;
    this.offsets = offsets;
  }

  long generation() {
    return generation;
  }

  Instant renderedAt() {
    return renderedAt;
  }

  /**
   * Returns true when this rendering started at or after the change generation {@code generation}
   * and the families have no timed change before {@code now}.
   */
  boolean currentFor(long generation, Instant now) {
    Instant until = validUntil;
    return this.generation >= generation && (until == null || now.isBefore(until));
  }

  /**
   * Moves the end of validity to {@code until}. The caller must have checked that no timed change
   * falls between {@link #renderedAt} and the time it serves this rendering at.
   */
  void extendUntil(Instant until) {
    validUntil = until;
  }

  byte[] body() {
    return body;
  }

  int familyCount() {
    return names.length;
  }

  /** Returns the Prometheus name of the family at {@code index}. */
  String name(int index) {
    return names[index];
  }

  /** Returns how many families of this rendering sort before {@code name}. */
  int familiesBefore(String name) {
    int index = Arrays.binarySearch(names, name);
    return index >= 0 ? index : -index - 1;
  }

  /**
   * Returns the families from index {@code from} up to, not including, {@code to}, as a range of
   * the body. Each slice is kept from its first request on, with its CRC-32 and deflate segment,
   * because the families of the other tiers and the untracked ones, and so the slice bounds, stay
   * the same from scrape to scrape.
   */
  Slice slice(int from, int to) {
    long key = ((long) from << 32) | to;
    Slice slice = slices.get(key);
    if (slice == null) {
      slice = slices.computeIfAbsent(key, unused -> buildSlice(from, to));
    }
    return slice;
  }

  private Slice buildSlice(int from, int to) {
    return new Slice(new ScrapeBody.Part(body, offsets[from], offsets[to] - offsets[from]));
  }
}
