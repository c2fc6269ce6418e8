package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.WebConfigLoader;
import io.github.keyprotectexporter.http.TestPki.Algorithm;
import io.github.keyprotectexporter.http.TestPki.Issued;
import io.github.keyprotectexporter.http.TestPki.KeyFormat;
import io.github.keyprotectexporter.metrics.SampleStore;
import io.github.keyprotectexporter.testing.NamedPipe;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up errors of TLS files: each is one line that names the setting, the file and the fix,
 * and none contains any part of a key.
 */
class TlsStartupErrorTest {

  @TempDir static Path directory;

  private static Issued server;
  private static String keyBody;

  @BeforeAll
  static void createFiles() throws IOException {
    Issued root = TestPki.rootCa("startup root");
    server = TestPki.leaf(root, "agent", Algorithm.RSA);
    TestPki.writeChain(directory.resolve("server.crt"), server);
    Path key = TestPki.writeKey(directory.resolve("server.key"), server.keys(), KeyFormat.PKCS8);
    keyBody = Files.readString(key).lines().filter(line -> !line.startsWith("-----"))
        .findFirst().orElseThrow();
    Issued other = TestPki.leaf(root, "other", Algorithm.RSA);
    TestPki.writeKey(directory.resolve("other.key"), other.keys(), KeyFormat.TRADITIONAL);
    TestPki.write(directory.resolve("garbage.pem"), "this is not PEM at all\n");
    TestPki.write(directory.resolve("bad-base64.key"), "-----BEGIN PRIVATE KEY-----\n"
        + keyBody.substring(0, 20) + "!!!!\n-----END PRIVATE KEY-----\n");
    TestPki.write(directory.resolve("not-a-key.key"), "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getEncoder().encodeToString("not a key".getBytes()) + "\n"
        + "-----END PRIVATE KEY-----\n");
    TestPki.write(directory.resolve("encrypted.key"), "-----BEGIN ENCRYPTED PRIVATE KEY-----\n"
        + keyBody + "\n-----END ENCRYPTED PRIVATE KEY-----\n");
    TestPki.write(directory.resolve("legacy-encrypted.key"), "-----BEGIN RSA PRIVATE KEY-----\n"
        + "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00\n\n" + keyBody
        + "\n-----END RSA PRIVATE KEY-----\n");
    TestPki.writeCurvelessEcKey(directory.resolve("curveless.key"),
        TestPki.keyPair(Algorithm.EC));
    TestPki.write(directory.resolve("key-as-cert.crt"), Files.readString(key));
  }

  private static String startupError(String certFile, String keyFile) {
    return startupError("""
        tls_server_config:
          cert_file: %s
          key_file: %s
        """.formatted(certFile, keyFile));
  }

  private static String startupError(String yaml) {
    try {
      WebSecurity.load(new WebConfigLoader().parse(yaml, "web.yml", directory), false,
          SampleStore.CLOCK);
    } catch (ConfigException e) {
      assertThat(e.errors()).hasSize(1);
      assertThat(e.getMessage()).doesNotContain(keyBody.substring(10, 30)).doesNotContain("\n");
      assertThat(e.getCause()).isNull();
      return e.getMessage();
    }
    throw new AssertionError("Expected a ConfigException for:\n" + yaml);
  }

  @Test
  void missingCertFile() {
    assertThat(startupError("missing.crt", "server.key"))
        .startsWith("cert_file " + directory.resolve("missing.crt") + ": not found");
  }

  @Test
  void missingKeyFile() {
    assertThat(startupError("server.crt", "missing.key"))
        .startsWith("key_file " + directory.resolve("missing.key") + ": not found");
  }

  @Test
  void keyFileIsDirectory() {
    assertThat(startupError("server.crt", ".")).contains("is a directory");
  }

  @Test
  void certFileIsNamedPipe() throws Exception {
    Path file = directory.resolve("pipe.crt");
    try (NamedPipe pipe = NamedPipe.create(file, Files.readString(directory.resolve("server.crt")))) {
      assertThat(startupError("pipe.crt", "server.key"))
          .isEqualTo("cert_file " + file + ": is not a regular file, such as a named pipe or a"
              + " device. Give the path of the PEM file");
      assertThat(pipe.wasRead()).isFalse();
    }
  }

  @Test
  void keyOfAnotherCertificate() {
    assertThat(startupError("server.crt", "other.key"))
        .contains("the private key does not match the certificate in cert_file");
  }

  @Test
  void garbageCertFile() {
    assertThat(startupError("garbage.pem", "server.key")).contains("is not a PEM file");
  }

  @Test
  void garbageKeyFile() {
    assertThat(startupError("server.crt", "garbage.pem")).contains("is not a PEM file");
  }

  @Test
  void invalidBase64InKey() {
    assertThat(startupError("server.crt", "bad-base64.key")).contains("is not valid base64");
  }

  @Test
  void keyBlockWithoutKey() {
    assertThat(startupError("server.crt", "not-a-key.key"))
        .contains("is not a valid RSA, EC or EdDSA private key");
  }

  @Test
  void encryptedKeys() {
    assertThat(startupError("server.crt", "encrypted.key")).contains("is encrypted");
    assertThat(startupError("server.crt", "legacy-encrypted.key")).contains("is encrypted");
  }

  @Test
  void ecKeyWithoutCurve() {
    assertThat(startupError("server.crt", "curveless.key")).contains("does not name its curve");
  }

  @Test
  void onlyTls13SuitesWithoutTls13() {
    String error = startupError("""
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          max_version: TLS12
          cipher_suites: [TLS_AES_128_GCM_SHA256]
        """);

    assertThat(error).startsWith("tls_server_config: cipher_suites has no suite for the RSA key"
        + " in key_file with max_version TLS12");
    assertThat(error).contains("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
  }

  @Test
  void suitesOfOtherKeyType() {
    String error = startupError("""
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          max_version: TLS12
          cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256]
        """);

    assertThat(error).contains("cipher_suites has no suite for the RSA key");
  }

  @Test
  void suitesOfKeyTypeAreAccepted() throws ConfigException {
    String yaml = """
        tls_server_config:
          cert_file: server.crt
          key_file: server.key
          max_version: TLS12
          cipher_suites: [TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
            TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256]
        """;

    WebSecurity security = WebSecurity.load(new WebConfigLoader().parse(yaml, "web.yml",
        directory), false, SampleStore.CLOCK);

    assertThat(security.scheme()).isEqualTo("https");
  }

  @Test
  void keyGivenAsCertificate() {
    assertThat(startupError("key-as-cert.crt", "server.key"))
        .contains("contains no PEM certificate");
  }

  @Test
  void certificateGivenAsKey() {
    assertThat(startupError("server.crt", "server.crt")).contains("contains no PEM private key");
  }
}
