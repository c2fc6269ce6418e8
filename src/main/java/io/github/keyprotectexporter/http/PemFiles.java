package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.config.ConfigException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads certificates and private keys from PEM files with the JDK alone. Errors name the setting,
 * the file and the fix, and never contain any of the file's content.
 *
 * <pre>{@code
 * List<X509Certificate> chain = PemFiles.certificates(Path.of("server.crt"), "cert_file");
 * PrivateKey key = PemFiles.privateKey(Path.of("server.key"), "key_file");
 * }</pre>
 */
public final class PemFiles {

  /** Maximum size of a PEM file, far above any certificate chain, to stop early at a wrong path. */
  static final int MAX_FILE_BYTES = 1024 * 1024;

  private static final Pattern BLOCK = Pattern.compile(
      "-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END ([A-Z0-9 ]+)-----", Pattern.DOTALL);

  private PemFiles() {}

  /**
   * Reads every {@code CERTIFICATE} block of a file, in file order.
   *
   * @param setting the config key that names the file, for error messages
   * @throws ConfigException when the file cannot be read or contains no valid certificate
   */
  public static List<X509Certificate> certificates(Path file, String setting)
      throws ConfigException {
    List<X509Certificate> certificates = new ArrayList<>();
    for (Block block : blocks(file, setting)) {
      if (!block.type().equals("CERTIFICATE")) {
        continue;
      }
      certificates.add(certificate(block, file, setting));
    }
    if (certificates.isEmpty()) {
      throw new ConfigException(where(file, setting) + "contains no PEM certificate. Expected a"
          + " -----BEGIN CERTIFICATE----- block");
    }
    return List.copyOf(certificates);
  }

  /**
   * Reads the one private key of a file: PKCS#8 ({@code PRIVATE KEY}), PKCS#1 ({@code RSA PRIVATE
   * KEY}) or SEC1 ({@code EC PRIVATE KEY}). Encrypted keys are rejected.
   *
   * @throws ConfigException when the file cannot be read or does not contain exactly one valid key
   */
  public static PrivateKey privateKey(Path file, String setting) throws ConfigException {
    List<Block> keys = new ArrayList<>();
    for (Block block : blocks(file, setting)) {
      if (block.type().endsWith("PRIVATE KEY")) {
        keys.add(block);
      }
    }
    if (keys.isEmpty()) {
      throw new ConfigException(where(file, setting) + "contains no PEM private key. Expected a"
          + " PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY block");
    }
    if (keys.size() > 1) {
      throw new ConfigException(where(file, setting) + "contains " + keys.size()
          + " private keys. Keep only the key of the certificate in cert_file");
    }
    return PrivateKeys.decode(keys.get(0), where(file, setting));
  }

  /** Starts an error line: {@code key_file /etc/tls/server.key: }. */
  static String where(Path file, String setting) {
    return setting + " " + file + ": ";
  }

  private static X509Certificate certificate(Block block, Path file, String setting)
      throws ConfigException {
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      InputStream der = new ByteArrayInputStream(block.der());
      return (X509Certificate) factory.generateCertificate(der);
    } catch (CertificateException e) {
      // The parser's message may quote certificate bytes, so only the failure is reported.
      throw new ConfigException(where(file, setting) + "certificate " + (block.index() + 1)
          + " is not a valid X.509 certificate. Check that the file is the PEM certificate");
    }
  }

  private static List<Block> blocks(Path file, String setting) throws ConfigException {
    String text = read(file, setting);
    List<Block> blocks = new ArrayList<>();
    Matcher matcher = BLOCK.matcher(text);
    while (matcher.find()) {
      String type = matcher.group(1);
      if (!type.equals(matcher.group(3))) {
        throw new ConfigException(where(file, setting) + "the PEM block BEGIN " + type
            + " ends with END " + matcher.group(3) + ". The file is damaged");
      }
      blocks.add(new Block(type, decodeBase64(matcher.group(2), type, file, setting),
          blocks.size()));
    }
    if (blocks.isEmpty()) {
      throw new ConfigException(where(file, setting) + "is not a PEM file: it has no"
          + " -----BEGIN ...----- block. Convert DER files with openssl x509 or openssl pkey"
          + " -outform PEM");
    }
    return blocks;
  }

  private static byte[] decodeBase64(String body, String type, Path file, String setting)
      throws ConfigException {
    if (body.contains(":")) {
      // Only legacy encrypted keys carry headers such as Proc-Type: 4,ENCRYPTED.
      throw new ConfigException(where(file, setting) + "the " + type + " block is encrypted."
          + " Decrypt the key with openssl pkey -in FILE -out NEW_FILE");
    }
    try {
      return Base64.getDecoder().decode(body.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(where(file, setting) + "the " + type
          + " block is not valid base64. The file is damaged");
    }
  }

  private static String read(Path file, String setting) throws ConfigException {
    if (Files.isDirectory(file)) {
      throw new ConfigException(where(file, setting) + "is a directory. Give the path of the PEM"
          + " file");
    }
    // Opening a named pipe blocks until a writer appears, which would hang the start.
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new ConfigException(where(file, setting) + "is not a regular file, such as a named"
          + " pipe or a device. Give the path of the PEM file");
    }
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new ConfigException(where(file, setting) + "not found. Check the path, which is"
          + " relative to the directory of the web config file");
    } catch (AccessDeniedException e) {
      throw new ConfigException(where(file, setting) + "cannot be read, permission denied."
          + " Give the user that runs the exporter read access");
    } catch (IOException e) {
      String reason = e instanceof FileSystemException failure
          ? failure.getReason() : e.getMessage();
      throw new ConfigException(where(file, setting) + "cannot be read: " + reason);
    }
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ConfigException(where(file, setting) + "larger than " + MAX_FILE_BYTES
          + " bytes, too large for a PEM file. Check the path");
    }
    return new String(bytes, StandardCharsets.US_ASCII);
  }

  /**
   * One PEM block.
   *
   * @param index the block's position in the file, from 0
   */
  record Block(String type, byte[] der, int index) {}
}
