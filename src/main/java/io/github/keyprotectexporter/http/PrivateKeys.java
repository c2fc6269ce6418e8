package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.http.PemFiles.Block;
import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes private keys from PEM blocks. PKCS#1 and SEC1 keys are wrapped into PKCS#8 with a few
 * DER bytes, because the JDK's key factories read only PKCS#8.
 */
final class PrivateKeys {

  /** The algorithms tried for a PKCS#8 key, whose algorithm the PEM type does not name. */
  private static final List<String> ALGORITHMS = List.of("RSA", "EC", "EdDSA");

  /** DER of the AlgorithmIdentifier for rsaEncryption (1.2.840.113549.1.1.1) with NULL. */
  private static final byte[] RSA_ALGORITHM = hex("300d06092a864886f70d0101010500");

  /** DER of the OID id-ecPublicKey (1.2.840.10045.2.1). */
  private static final byte[] EC_PUBLIC_KEY_OID = hex("06072a8648ce3d0201");

  private static final int SEQUENCE = 0x30;
  private static final int INTEGER = 0x02;
  private static final int OCTET_STRING = 0x04;
  private static final int OID = 0x06;
  private static final int CONTEXT_0 = 0xa0;

  private PrivateKeys() {}

  static PrivateKey decode(Block block, String where) throws ConfigException {
    byte[] pkcs8 = switch (block.type()) {
      case "PRIVATE KEY" -> block.der();
      case "RSA PRIVATE KEY" -> pkcs8(RSA_ALGORITHM, block.der());
      case "EC PRIVATE KEY" -> pkcs8(ecAlgorithm(block.der(), where), block.der());
      case "ENCRYPTED PRIVATE KEY" -> throw new ConfigException(where + "the private key is"
          + " encrypted. Decrypt it with openssl pkey -in FILE -out NEW_FILE");
      default -> throw new ConfigException(where + "unsupported key type " + block.type()
          + ". Use a PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
    };
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(pkcs8);
    for (String algorithm : ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // Not this algorithm, or not a key at all: try the next one.
      }
    }
    throw new ConfigException(where + "the " + block.type() + " block is not a valid RSA, EC or"
        + " EdDSA private key. Check that the file is the PEM key of the certificate");
  }

  /** Wraps a PKCS#1 or SEC1 key into a PKCS#8 PrivateKeyInfo: version 0, algorithm, key. */
  private static byte[] pkcs8(byte[] algorithm, byte[] key) {
    byte[] version = der(INTEGER, new byte[] {0});
    return der(SEQUENCE, concat(version, algorithm, der(OCTET_STRING, key)));
  }

  /**
   * Returns the AlgorithmIdentifier of a SEC1 key, whose named curve sits in its optional [0]
   * field. A key without that field cannot be decoded, because PKCS#8 needs the curve.
   */
  private static byte[] ecAlgorithm(byte[] sec1, String where) throws ConfigException {
    try {
      DerReader key = new DerReader(sec1).enter(SEQUENCE);
      while (key.hasMore()) {
        int tag = key.peekTag();
        byte[] content = key.next();
        if (tag == CONTEXT_0) {
          DerReader parameters = new DerReader(content);
          return der(SEQUENCE, concat(EC_PUBLIC_KEY_OID, der(OID, parameters.expect(OID))));
        }
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where + "the EC PRIVATE KEY block is not a valid SEC1 key. The"
          + " file is damaged");
    }
    throw new ConfigException(where + "the EC PRIVATE KEY block does not name its curve."
        + " Convert it with openssl pkcs8 -topk8 -nocrypt -in FILE -out NEW_FILE");
  }

  static byte[] der(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int length = content.length;
    if (length < 0x80) {
      out.write(length);
    } else {
      int bytes = (32 - Integer.numberOfLeadingZeros(length) + 7) / 8;
      out.write(0x80 | bytes);
      for (int shift = (bytes - 1) * 8; shift >= 0; shift -= 8) {
        out.write(length >>> shift);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Arrays.stream(parts).forEach(out::writeBytes);
    return out.toByteArray();
  }

  private static byte[] hex(String text) {
    byte[] bytes = new byte[text.length() / 2];
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = (byte) Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
    }
    return bytes;
  }

  /** Reads DER elements with single-byte tags, as in SEC1 keys. */
  private static final class DerReader {

    private final byte[] data;
    private int position;

    DerReader(byte[] data) {
      this.data = data;
    }

    boolean hasMore() {
      return position < data.length;
    }

    int peekTag() {
      require(position < data.length);
      return data[position] & 0xff;
    }

    /** Returns the content of the next element and moves past it. */
    byte[] next() {
      position++;
      require(position < data.length);
      int length = data[position++] & 0xff;
      if (length >= 0x80) {
        int bytes = length & 0x7f;
        require(bytes >= 1 && bytes <= 3 && position + bytes <= data.length);
        length = 0;
        for (int i = 0; i < bytes; i++) {
          length = (length << 8) | (data[position++] & 0xff);
        }
      }
      require(position + length <= data.length);
      byte[] content = Arrays.copyOfRange(data, position, position + length);
      position += length;
      return content;
    }

    byte[] expect(int tag) {
      require(peekTag() == tag);
      return next();
    }

    DerReader enter(int tag) {
      return new DerReader(expect(tag));
    }

    private static void require(boolean condition) {
      if (!condition) {
        throw new IllegalArgumentException("Invalid DER");
      }
    }
  }
}
