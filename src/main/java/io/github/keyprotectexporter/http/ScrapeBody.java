package io.github.keyprotectexporter.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The body of one scrape response: ranges of byte arrays to send one after the other, some of them
 * shared with the scrape cache and with other scrapes, so no caller may modify them. A gzip body
 * is one gzip member, split into parts.
 *
 * @param contentType the media type of the exposition format
 * @param gzip whether the parts form a gzip member
 * @param parts the ranges in the order they are sent
 */
public record ScrapeBody(String contentType, boolean gzip, List<Part> parts) {

  public ScrapeBody {
    parts = List.copyOf(parts);
  }

  /**
   * A range of a byte array that may be shared, such as a run of families inside a cached
   * rendering.
   *
   * @param array the array that contains the range
   * @param offset the index of the first byte of the range in {@code array}
   * @param length the number of bytes in the range
   */
  public record Part(byte[] array, int offset, int length) {

    public Part {
      Objects.requireNonNull(array, "array");
      Objects.checkFromIndexSize(offset, length, array.length);
    }

    /** Returns a part that covers the whole of {@code array}. */
    public static Part of(byte[] array) {
      return new Part(array, 0, array.length);
    }

    /** Returns true when the part covers its array from the first byte to the last. */
    public boolean wholeArray() {
      return offset == 0 && length == array.length;
    }
  }

  /** Returns the number of bytes sent. */
  public int length() {
    int length = 0;
    for (Part part : parts) {
      length += part.length();
    }
    return length;
  }

  /** Writes every part to {@code out}, without copying them first. */
  public void writeTo(OutputStream out) throws IOException {
    for (Part part : parts) {
      out.write(part.array(), part.offset(), part.length());
    }
  }

  /** Returns a stream that reads the parts one after the other, without copying them first. */
  public InputStream inputStream() {
    Iterator<Part> remaining = parts.iterator();
    return new SequenceInputStream(
        new Enumeration<InputStream>() {
          @Override
          public boolean hasMoreElements() {
            return remaining.hasNext();
          }

          @Override
          public InputStream nextElement() {
            Part part = remaining.next();
            return new ByteArrayInputStream(part.array(), part.offset(), part.length());
          }
        });
  }

  /**
   * Returns the whole body in one array: the shared array itself when one part covers all of it,
   * a new copy otherwise.
   */
  public byte[] bytes() {
    if (parts.size() == 1 && parts.get(0).wholeArray()) {
      return parts.get(0).array();
    }
    byte[] body = new byte[length()];
    int offset = 0;
    for (Part part : parts) {
      System.arraycopy(part.array(), part.offset(), body, offset, part.length());
      offset += part.length();
    }
    return body;
  }
}
