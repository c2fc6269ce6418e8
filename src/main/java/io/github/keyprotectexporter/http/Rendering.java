package io.github.keyprotectexporter.http;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The tracked metric families rendered in one exposition format, without the format's trailer,
 * with the change generation and time until which they stay current. It also keeps the slices
 * between untracked families and their gzip forms once a scrape requests them.
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

  /** The bytes of a run of consecutive families, with their CRC-32 and deflate segment. */
  record Slice(byte[] bytes, int crc, byte[] gzipSegment) {}

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

  /** Returns how many families of this rendering sort before {@code name}. */
  int familiesBefore(String name) {
    int index = Arrays.binarySearch(names, name);
    return index >= 0 ? index : -index - 1;
  }

  /**
   * Returns the families from index {@code from} up to, not including, {@code to}, with their
   * gzip segment. Each slice is copied and compressed on its first request only, because the
   * untracked families, and so the slice bounds, stay the same from scrape to scrape.
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
    byte[] bytes =
        from == 0 && to == names.length
            ? body
            : Arrays.copyOfRange(body, offsets[from], offsets[to]);
    return new Slice(bytes, Gzip.crc(bytes), Gzip.segment(bytes, false));
  }

  /**
   * Returns one gzip member of the body followed by {@code trailer}, built on the first call. The
   * trailer must be the same on every call, which is true because a rendering belongs to one
   * format.
   */
  byte[] gzipMember(byte[] trailer) {
    byte[] member = gzipMember;
    if (member == null) {
      synchronized (this) {
        member = gzipMember;
        if (member == null) {
          member = buildMember(trailer);
          gzipMember = member;
        }
      }
    }
    return member;
  }

  private byte[] buildMember(byte[] trailer) {
    Slice all = slice(0, names.length);
    byte[] last = Gzip.segment(trailer, true);
    int crc = Gzip.combine(all.crc(), Gzip.crc(trailer), trailer.length);
    byte[] footer = Gzip.footer(crc, (long) body.length + trailer.length);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(Gzip.HEADER.length + all.gzipSegment().length + last.length + 8);
    out.writeBytes(Gzip.HEADER);
    out.writeBytes(all.gzipSegment());
    out.writeBytes(last);
    out.writeBytes(footer);
    return out.toByteArray();
  }
}
