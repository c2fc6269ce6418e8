package io.github.keyprotectexporter.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Builds gzip data, including one gzip member (RFC 1952) assembled from deflate segments that were
 * compressed separately. Each segment but the last ends with a sync flush, which closes it on a
 * byte boundary without a final block, so the segments join into one valid deflate stream. One
 * member matters because curl 7.88, for one, decodes only the first member of a response.
 */
final class Gzip {

  /** Member header: magic, deflate, no flags, no modification time, unknown system. */
  static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

  /** The CRC-32 polynomial of gzip, bit-reversed. */
  private static final int POLYNOMIAL = 0xedb88320;

  /** Entry n is x^(2^n) modulo the polynomial, for {@link #combine}. */
  private static final int[] POWERS = new int[32];

  static {
    POWERS[0] = 1 << 30; // x^1
    for (int n = 1; n < POWERS.length; n++) {
      POWERS[n] = multiply(POWERS[n - 1], POWERS[n - 1]);
    }
  }

  private Gzip() {}

  /** Compresses {@code bytes} into one complete gzip member. */
  static byte[] compress(byte[] bytes) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, bytes.length / 4));
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(bytes);
    } catch (IOException e) {
      // ByteArrayOutputStream does not throw IOException, so this branch does not run.
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Compresses {@code bytes} into a raw deflate segment: the stream's last one, with the final
   * block, when {@code last}, or one that ends with a sync flush otherwise.
   */
  static byte[] segment(byte[] bytes, boolean last) {
    return segment(bytes, 0, bytes.length, last);
  }

  /**
   * Compresses the {@code length} bytes of {@code bytes} from {@code offset} into a raw deflate
   * segment, like {@link #segment(byte[], boolean)}, without copying the range first.
   */
  static byte[] segment(byte[] bytes, int offset, int length, boolean last) {
    Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    try {
      deflater.setInput(bytes, offset, length);
      if (last) {
        deflater.finish();
      }
      ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 4));
      byte[] buffer = new byte[8 * 1024];
      while (true) {
        int written = last ? deflater.deflate(buffer) : deflater.deflate(buffer, 0,
            buffer.length, Deflater.SYNC_FLUSH);
        out.write(buffer, 0, written);
        boolean done = last ? deflater.finished() : written < buffer.length;
        if (done) {
          return out.toByteArray();
        }
      }
    } finally {
      deflater.end();
    }
  }

  /** Returns the member trailer: the CRC-32 and the length modulo 2^32, both little-endian. */
  static byte[] footer(int crc, long length) {
    int size = (int) length;
    return new byte[] {
      (byte) crc, (byte) (crc >>> 8), (byte) (crc >>> 16), (byte) (crc >>> 24),
      (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)
    };
  }

  static int crc(byte[] bytes) {
    return crc(bytes, 0, bytes.length);
  }

  /** Returns the CRC-32 of the {@code length} bytes of {@code bytes} from {@code offset}. */
  static int crc(byte[] bytes, int offset, int length) {
    CRC32 crc = new CRC32();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /**
   * Returns the CRC-32 of two byte sequences joined, from the CRC-32 of each and the length of the
   * second, without reading the bytes again: appending n zero bytes multiplies by x^(8n).
   */
  static int combine(int firstCrc, int secondCrc, long secondLength) {
    int power = 1 << 31; // x^0
    int n = 3; // 2^3 = 8 bits per byte
    for (long length = secondLength; length > 0; length >>>= 1, n++) {
      if ((length & 1) != 0) {
        power = multiply(POWERS[n & 31], power);
      }
    }
    return multiply(power, firstCrc) ^ secondCrc;
  }

  /** Multiplies two polynomials modulo the CRC-32 polynomial, in the bit-reversed form. */
  private static int multiply(int a, int b) {
    int product = 0;
    int multiplier = b;
    for (int bit = 1 << 31; bit != 0; bit >>>= 1) {
      if ((a & bit) != 0) {
        product ^= multiplier;
      }
      multiplier = (multiplier & 1) != 0 ? (multiplier >>> 1) ^ POLYNOMIAL : multiplier >>> 1;
    }
    return product;
  }
}
