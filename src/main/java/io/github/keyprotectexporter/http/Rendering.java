package io.github.keyprotectexporter.http;

import java.io.ByteArrayOutputStream;
import java.time.Instant;

/**
 * The tracked metric families rendered in one exposition format, without the format's trailer,
 * with the change generation and time until which they stay current, and their gzip forms once a
 * scrape requests them.
 */
final class Rendering {

  private final long generation;
  private final Instant validUntil;
  private final byte[] body;
  private final String firstName;
  private final String lastName;
  /** CRC-32 of the body, set before {@link #gzipSegment} is, which publishes it. */
  private int crc;

  private volatile byte[] gzipSegment;
  private volatile byte[] gzipMember;

  /**
   * @param validUntil the first time at which the families change without an update, or null
   * @param firstName the Prometheus name of the first family in {@code body}, null when empty
   * @param lastName the Prometheus name of the last family in {@code body}, null when empty
   */
  Rendering(long generation, Instant validUntil, byte[] body, String firstName, String lastName) {
    this.generation = generation;
    this.validUntil = validUntil;
    this.body = body;
    this.firstName = firstName;
    this.lastName = lastName;
  }

  /**
   * Returns true when this rendering started at or after the change generation {@code generation}
   * and the families have no timed change before {@code now}.
   */
  boolean currentFor(long generation, Instant now) {
    return this.generation >= generation && (validUntil == null || now.isBefore(validUntil));
  }

  byte[] body() {
    return body;
  }

  String firstName() {
    return firstName;
  }

  String lastName() {
    return lastName;
  }

  /** Returns the CRC-32 of the body, computed with the gzip segment, only once gzip is used. */
  int crc() {
    gzipSegment();
    return crc;
  }

  /** Compresses the body into a deflate segment on the first call and returns it after that. */
  byte[] gzipSegment() {
    byte[] segment = gzipSegment;
    if (segment == null) {
      synchronized (this) {
        segment = gzipSegment;
        if (segment == null) {
          crc = Gzip.crc(body);
          segment = Gzip.segment(body, false);
          gzipSegment = segment;
        }
      }
    }
    return segment;
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
    byte[] segment = gzipSegment();
    byte[] last = Gzip.segment(trailer, true);
    int crc = Gzip.combine(crc(), Gzip.crc(trailer), trailer.length);
    byte[] footer = Gzip.footer(crc, (long) body.length + trailer.length);
    ByteArrayOutputStream out =
        new ByteArrayOutputStream(Gzip.HEADER.length + segment.length + last.length + 8);
    out.writeBytes(Gzip.HEADER);
    out.writeBytes(segment);
    out.writeBytes(last);
    out.writeBytes(footer);
    return out.toByteArray();
  }
}
