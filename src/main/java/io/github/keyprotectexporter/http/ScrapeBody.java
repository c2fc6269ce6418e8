package io.github.keyprotectexporter.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.SequenceInputStream;
import java.util.Enumeration;
import java.util.Iterator;
import java.util.List;

/**
 * The body of one scrape response: byte arrays to send one after the other, some of them shared
 * with the scrape cache and with other scrapes, so no caller may modify them. A gzip body is one
 * gzip member, split into parts.
 *
 * @param contentType the media type of the exposition format
 * @param gzip whether the parts form a gzip member
 * @param parts the byte arrays in the order they are sent
 */
public record ScrapeBody(String contentType, boolean gzip, List<byte[]> parts) {

  public ScrapeBody {
    parts = List.copyOf(parts);
  }

  /** Returns the number of bytes sent. */
  public int length() {
    int length = 0;
    for (byte[] part : parts) {
      length += part.length;
    }
    return length;
  }

  /** Writes every part to {@code out}, without copying them first. */
  public void writeTo(OutputStream out) throws IOException {
    for (byte[] part : parts) {
      out.write(part);
    }
  }

  /** Returns a stream that reads the parts one after the other, without copying them first. */
  public InputStream inputStream() {
    Iterator<byte[]> remaining = parts.iterator();
    return new SequenceInputStream(
        new Enumeration<InputStream>() {
          @Override
          public boolean hasMoreElements() {
            return remaining.hasNext();
          }

          @Override
          public InputStream nextElement() {
            return new ByteArrayInputStream(remaining.next());
          }
        });
  }

  /**
   * Returns the whole body in one array: the shared array itself when there is one part, a new
   * concatenation otherwise.
   */
  public byte[] bytes() {
    if (parts.size() == 1) {
      return parts.get(0);
    }
    byte[] body = new byte[length()];
    int offset = 0;
    for (byte[] part : parts) {
      System.arraycopy(part, 0, body, offset, part.length);
      offset += part.length;
    }
    return body;
  }
}
