package io.github.keyprotectexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebConfigLoaderTest {

  private static final Path DIRECTORY = Path.of("/etc/keyprotect-exporter");

  /** A string in the form of a bcrypt hash with cost 4, as htpasswd writes one. */
  private static final String HASH = "$2y$04$QZyTLpBnIFhZW0DJ9zFTheNd1rwuwSx2Kz43dRpohqYDthqQ3jKIi";

  private static WebConfig parse(String yaml) throws ConfigException {
    return new WebConfigLoader().parse(yaml, "web.yml", DIRECTORY);
  }

  private static String errors(String yaml) {
    try {
      parse(yaml);
    } catch (ConfigException e) {
      return e.getMessage();
    }
    throw new AssertionError("Expected a ConfigException for:\n" + yaml);
  }

  @Test
  void emptyFileMeansPlainHttp() throws ConfigException {
    assertThat(parse("# nothing yet\n")).isEqualTo(WebConfig.PLAIN);
  }

  @Test
  void unknownTopLevelKeyIsError() {
    assertThat(errors("tls_config: {}\n"))
        .contains("web.yml: tls_config: unknown key")
        .contains("tls_server_config");
  }

  @Test
  void aliasedHashIsRejectedWithoutHash() {
    String errors = errors("""
        basic_auth_users:
          alice: &shared %s
          bob: *shared
        """.formatted(HASH));

    assertThat(errors).contains("web.yml: line 3, column 8: the YAML alias *shared is not"
        + " supported");
    assertThat(errors).doesNotContain(HASH.substring(7));
  }

  @Test
  void rateLimitIsRejectedWithReason() {
    assertThat(errors("rate_limit: {interval: 1s, burst: 20}\n"))
        .contains("rate_limit: is not supported");
  }

  @Nested
  class Tls {

    @Test
    void readsEverySettingAndResolvesPathsAgainstDirectory() throws ConfigException {
      WebConfig config = parse("""
          tls_server_config:
            cert_file: tls/server.crt
            key_file: /secrets/server.key
            client_auth_type: RequireAndVerifyClientCert
            client_ca_file: ca.crt
            client_allowed_sans: [prometheus.example]
            min_version: TLS13
            max_version: TLS13
            cipher_suites: [TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305]
            prefer_server_cipher_suites: false
          """);

      TlsServerSettings tls = config.tls();
      assertThat(tls.certFile()).isEqualTo(DIRECTORY.resolve("tls/server.crt"));
      assertThat(tls.keyFile()).isEqualTo(Path.of("/secrets/server.key"));
      assertThat(tls.clientAuth()).isEqualTo(ClientAuthType.REQUIRE_AND_VERIFY_CLIENT_CERT);
      assertThat(tls.clientCaFile()).isEqualTo(DIRECTORY.resolve("ca.crt"));
      assertThat(tls.clientAllowedSans()).containsExactly("prometheus.example");
      assertThat(tls.minVersion()).isEqualTo(TlsVersion.TLS13);
      assertThat(tls.maxVersion()).isEqualTo(TlsVersion.TLS13);
      assertThat(tls.cipherSuites())
          .containsExactly("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
      assertThat(tls.preferServerCipherSuites()).isFalse();
    }

    @Test
    void defaultsFollowExporterToolkit() throws ConfigException {
      TlsServerSettings tls = parse("""
          tls_server_config: {cert_file: a.crt, key_file: a.key}
          """).tls();

      assertThat(tls.clientAuth()).isEqualTo(ClientAuthType.NO_CLIENT_CERT);
      assertThat(tls.minVersion()).isEqualTo(TlsVersion.TLS12);
      assertThat(tls.maxVersion()).isEqualTo(TlsVersion.TLS13);
      assertThat(tls.preferServerCipherSuites()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"NoClientCert", "RequestClientCert", "RequireAnyClientCert",
        "VerifyClientCertIfGiven", "RequireAndVerifyClientCert"})
    void acceptsEveryClientAuthType(String type) throws ConfigException {
      String ca = type.contains("Verify") ? "  client_ca_file: ca.crt\n" : "";
      TlsServerSettings tls = parse("""
          tls_server_config:
            cert_file: a.crt
            key_file: a.key
            client_auth_type: %s
          """.formatted(type) + ca).tls();

      assertThat(tls.clientAuth().configName()).isEqualTo(type);
    }

    @Test
    void unknownTlsVersionIsError() {
      assertThat(errors("""
          tls_server_config: {cert_file: a.crt, key_file: a.key, min_version: TLS1.2}
          """))
          .contains("tls_server_config.min_version: unknown TLS version \"TLS1.2\"")
          .contains("TLS10, TLS11, TLS12, TLS13");
    }

    @Test
    void onlyDisabledVersionsAreError() {
      assertThat(errors("""
          tls_server_config:
            {cert_file: a.crt, key_file: a.key, min_version: TLS10, max_version: TLS11}
          """)).contains("every version from TLS10 to TLS11 is disabled in this JVM");
    }

    @Test
    void partlyDisabledVersionsAreWarning() throws ConfigException {
      try (LogCapture logs = LogCapture.of(WebConfigLoader.class)) {
        parse("tls_server_config: {cert_file: a.crt, key_file: a.key, min_version: TLS10}\n");

        assertThat(logs.warnings()).singleElement().asString()
            .contains("TLS10, TLS11 are disabled in this JVM");
      }
    }

    @Test
    void minAboveMaxIsError() {
      assertThat(errors("""
          tls_server_config:
            {cert_file: a.crt, key_file: a.key, min_version: TLS13, max_version: TLS12}
          """)).contains("min_version TLS13 is above max_version TLS12");
    }

    @Test
    void missingKeyFileIsError() {
      assertThat(errors("tls_server_config: {cert_file: a.crt}\n"))
          .contains("tls_server_config.key_file: missing");
    }

    @Test
    void unknownClientAuthTypeIsError() {
      assertThat(errors("""
          tls_server_config: {cert_file: a.crt, key_file: a.key, client_auth_type: Required}
          """)).contains("invalid client auth type \"Required\"")
          .contains("RequireAndVerifyClientCert");
    }

    @Test
    void verifyingWithoutClientCaIsError() {
      assertThat(errors("""
          tls_server_config:
            {cert_file: a.crt, key_file: a.key, client_auth_type: RequireAndVerifyClientCert}
          """)).contains("client_ca_file: missing");
    }

    @Test
    void clientCaWithoutClientAuthIsError() {
      assertThat(errors("""
          tls_server_config: {cert_file: a.crt, key_file: a.key, client_ca_file: ca.crt}
          """)).contains("client_ca_file: is set, but client_auth_type is NoClientCert");
    }

    @Test
    void allowedSansNeedRequiredCertificate() {
      assertThat(errors("""
          tls_server_config:
            cert_file: a.crt
            key_file: a.key
            client_auth_type: VerifyClientCertIfGiven
            client_ca_file: ca.crt
            client_allowed_sans: [a.example]
          """)).contains("client_allowed_sans: needs client_auth_type");
    }

    @Test
    void unknownCipherSuiteIsError() {
      assertThat(errors("""
          tls_server_config: {cert_file: a.crt, key_file: a.key, cipher_suites: [TLS_FAST]}
          """)).contains("cipher_suites[0]: unknown cipher suite \"TLS_FAST\"");
    }

    @Test
    void curvePreferencesAreRejectedWithFix() {
      assertThat(errors("""
          tls_server_config:
            {cert_file: a.crt, key_file: a.key, curve_preferences: [X25519]}
          """)).contains("curve_preferences: is not supported")
          .contains("-Djdk.tls.namedGroups");
    }

    @Test
    void inlineKeyIsRejectedWithoutEchoingIt() {
      String message = errors("""
          tls_server_config:
            cert_file: a.crt
            key: "-----BEGIN PRIVATE KEY-----\\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\\n"
          """);

      assertThat(message).contains("tls_server_config.key: inline keys are not supported")
          .doesNotContain("MIIEvQ");
    }

    @Test
    void unknownTlsKeyIsError() {
      assertThat(errors("""
          tls_server_config: {cert_file: a.crt, key_file: a.key, keyfile: b.key}
          """)).contains("tls_server_config.keyfile: unknown key");
    }
  }

  @Nested
  class BasicAuthUsers {

    @ParameterizedTest
    @ValueSource(strings = {"$2a$", "$2b$", "$2y$"})
    void acceptsEveryBcryptVersion(String prefix) throws ConfigException {
      String hash = prefix + HASH.substring(4);

      WebConfig config = parse("basic_auth_users:\n  alice: " + hash + "\n");

      assertThat(config.basicAuthUsers()).containsEntry("alice", hash);
    }

    @Test
    void badHashIsErrorWithoutValue() {
      String message = errors("basic_auth_users:\n  alice: plain-text-password\n");

      assertThat(message).contains("basic_auth_users.alice: not a bcrypt hash (value not shown)")
          .contains("htpasswd -nBC 10")
          .doesNotContain("plain-text-password");
    }

    @Test
    void truncatedHashIsError() {
      assertThat(errors("basic_auth_users:\n  alice: " + HASH.substring(0, 40) + "\n"))
          .contains("not a bcrypt hash")
          .doesNotContain(HASH.substring(7, 40));
    }

    @Test
    void numberInsteadOfHashIsErrorWithoutValue() {
      assertThat(errors("basic_auth_users:\n  alice: 123456\n"))
          .contains("expected a bcrypt hash as a string (value not shown)")
          .doesNotContain("123456");
    }

    @Test
    void userNameWithColonIsError() {
      assertThat(errors("basic_auth_users:\n  \"a:b\": " + HASH + "\n"))
          .contains("invalid user name");
    }

    @Test
    void toStringListsUsersWithoutHashes() throws ConfigException {
      WebConfig config = parse("basic_auth_users:\n  alice: " + HASH + "\n");

      assertThat(config.toString()).contains("alice").doesNotContain(HASH.substring(7));
    }
  }

  @Nested
  class Headers {

    @Test
    void readsAllowedHeaders() throws ConfigException {
      WebConfig config = parse("""
          http_server_config:
            http2: false
            headers:
              X-Frame-Options: sameorigin
              Content-Security-Policy: ""
          """);

      assertThat(config.headers()).containsExactly(
          java.util.Map.entry("X-Frame-Options", "sameorigin"));
      assertThat(config.http2()).isFalse();
    }

    @Test
    void unknownHeaderIsError() {
      assertThat(errors("http_server_config:\n  headers:\n    Server: agent\n"))
          .contains("http_server_config.headers.Server: unknown key");
    }

    @Test
    void invalidFrameOptionIsError() {
      assertThat(errors("http_server_config:\n  headers:\n    X-Frame-Options: allow\n"))
          .contains("Use deny or sameorigin");
    }
  }

  @Test
  void loadsFileFromDisk(@org.junit.jupiter.api.io.TempDir Path directory) throws Exception {
    Path file = java.nio.file.Files.writeString(directory.resolve("web.yml"), """
        tls_server_config: {cert_file: server.crt, key_file: server.key}
        """);

    WebConfig config = new WebConfigLoader().load(file);

    assertThat(config.tls().certFile()).isEqualTo(directory.resolve("server.crt"));
  }

  @Test
  void exampleFileIsValid() throws ConfigException {
    WebConfig config = new WebConfigLoader().load(Path.of("examples/web-config.yml"));

    assertThat(config.tls().certFile().toString()).endsWith("examples/tls/server.crt");
    assertThat(org.springframework.security.crypto.bcrypt.BCrypt.checkpw("change-me",
        config.basicAuthUsers().get("prometheus"))).isTrue();
  }

  @Test
  void missingFileIsError() {
    assertThatThrownBy(() -> new WebConfigLoader().load(Path.of("/nonexistent/web.yml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("/nonexistent/web.yml: not found");
  }
}
