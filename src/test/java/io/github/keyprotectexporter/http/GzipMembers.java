package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes gzip data that must be exactly one member, as a client that reads only the first member
 * would, and checks the member's CRC-32 and length.
 */
final class GzipMembers {

  private static final int HEADER_LENGTH = 10;
  private static final int FOOTER_LENGTH = 8;

  private GzipMembers() {}

  static byte[] decodeSingle(byte[] gzip) {
    assertThat(Arrays.copyOf(gzip, 3)).as("gzip magic and method").containsExactly(0x1f, 0x8b, 8);
    assertThat(gzip[3]).as("gzip flags").isZero();
    Inflater inflater = new Inflater(true);
    inflater.setInput(gzip, HEADER_LENGTH, gzip.length - HEADER_LENGTH);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buffer = new byte[8 * 1024];
    int remaining;
    try {
      while (!inflater.finished()) {
        int length = inflater.inflate(buffer);
        if (length == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
          throw new AssertionError("deflate stream ends without a final block");
        }
        out.write(buffer, 0, length);
      }
      remaining = inflater.getRemaining();
    } catch (DataFormatException e) {
      throw new AssertionError("invalid deflate stream: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    byte[] text = out.toByteArray();

    assertThat(remaining).as("bytes after the deflate stream").isEqualTo(FOOTER_LENGTH);
    int footer = gzip.length - FOOTER_LENGTH;
    CRC32 crc = new CRC32();
    crc.update(text);
    assertThat(littleEndian(gzip, footer)).as("CRC-32").isEqualTo((int) crc.getValue());
    assertThat(littleEndian(gzip, footer + 4)).as("length").isEqualTo(text.length);
    return text;
  }

  private static int littleEndian(byte[] bytes, int offset) {
    return (bytes[offset] & 0xff)
        | (bytes[offset + 1] & 0xff) << 8
        | (bytes[offset + 2] & 0xff) << 16
        | (bytes[offset + 3] & 0xff) << 24;
  }
}
