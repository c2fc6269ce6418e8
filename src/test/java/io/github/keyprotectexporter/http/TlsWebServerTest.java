package io.github.keyprotectexporter.http;

import static io.github.keyprotectexporter.http.SecureServerFixture.basic;
import static io.github.keyprotectexporter.http.SecureServerFixture.get;
import static io.github.keyprotectexporter.http.SecureServerFixture.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keyprotectexporter.http.TestPki.Algorithm;
import io.github.keyprotectexporter.http.TestPki.Issued;
import io.github.keyprotectexporter.http.TestPki.KeyFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.security.crypto.bcrypt.BCrypt;

/** Real TLS handshakes and logins against a running {@link WebServer}. */
class TlsWebServerTest {

  @TempDir static Path directory;

  private static Issued root;
  private static Issued otherRoot;
  private static Issued client;
  private static Issued strangerClient;
  private static SSLContext trustingClient;

  private final SecureServerFixture servers = new SecureServerFixture(directory);

  @BeforeAll
  static void createCertificates() {
    root = TestPki.rootCa("test root");
    otherRoot = TestPki.rootCa("other root");
    Issued server = TestPki.leaf(root, "agent", Algorithm.EC);
    TestPki.writeChain(directory.resolve("server.crt"), server);
    TestPki.writeKey(directory.resolve("server.key"), server.keys(), KeyFormat.PKCS8);
    TestPki.writeCertificate(directory.resolve("client-ca.crt"), root.certificate());
    client = TestPki.leaf(root, "prometheus", Algorithm.EC, "prometheus.example");
    strangerClient = TestPki.leaf(otherRoot, "stranger", Algorithm.EC, "prometheus.example");
    trustingClient = TestPki.clientContext(root.certificate(), null);
  }

  @AfterEach
  void stopServers() {
    servers.close();
  }

  private static final String TLS = """
      tls_server_config:
        cert_file: server.crt
        key_file: server.key
      """;

  private static final String MTLS = """
      tls_server_config:
        cert_file: server.crt
        key_file: server.key
        client_auth_type: RequireAndVerifyClientCert
        client_ca_file: client-ca.crt
      """;

  @Nested
  class Certificates {

    @ParameterizedTest
    @CsvSource({"RSA, PKCS8", "RSA, TRADITIONAL", "EC, PKCS8", "EC, TRADITIONAL"})
    void servesWithEveryKeyFormat(Algorithm algorithm, KeyFormat format) throws Exception {
      Issued server = TestPki.leaf(root, "agent-" + algorithm + format, algorithm);
      String name = algorithm + "-" + format;
      TestPki.writeChain(directory.resolve(name + ".crt"), server);
      TestPki.writeKey(directory.resolve(name + ".key"), server.keys(), format);
      WebServer web = servers.start("""
          tls_server_config:
            cert_file: %s.crt
            key_file: %s.key
          """.formatted(name, name), false);

      HttpResponse<String> response = get(trustingClient, url(web, "/metrics"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThat(response.body()).contains("keyprotect_up");
    }

    @Test
    void sendsChainFromCertFile() throws Exception {
      Issued intermediate = TestPki.intermediateCa(root, "test intermediate");
      Issued server = TestPki.leaf(intermediate, "agent-chained", Algorithm.EC);
      TestPki.writeChain(directory.resolve("chained.crt"), server);
      TestPki.writeKey(directory.resolve("chained.key"), server.keys(), KeyFormat.PKCS8);
      WebServer web = servers.start("""
          tls_server_config:
            cert_file: chained.crt
            key_file: chained.key
          """, false);

      HttpResponse<String> response = get(trustingClient, url(web, "/-/healthy"));

      assertThat(response.statusCode()).isEqualTo(200);
    }
  }

  @Nested
  class Versions {

    @Test
    void minVersionTls13RejectsTls12Client() throws Exception {
      WebServer web = servers.start(TLS + "  min_version: TLS13\n", false);

      assertThatThrownBy(() -> send(trustingClient, new String[] {"TLSv1.2"}, "GET",
          url(web, "/-/healthy")))
          .isInstanceOf(IOException.class);
      HttpResponse<String> tls13 =
          send(trustingClient, new String[] {"TLSv1.3"}, "GET", url(web, "/-/healthy"));
      assertThat(tls13.statusCode()).isEqualTo(200);
    }

    @Test
    void maxVersionTls12ServesTls12Client() throws Exception {
      WebServer web = servers.start(TLS + "  max_version: TLS12\n", false);

      HttpResponse<String> response =
          send(trustingClient, new String[] {"TLSv1.2"}, "GET", url(web, "/-/healthy"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> send(trustingClient, new String[] {"TLSv1.3"}, "GET",
          url(web, "/-/healthy")))
          .isInstanceOf(IOException.class);
    }
  }

  @Nested
  class ClientCertificates {

    @Test
    void acceptsCertificateFromClientCa() throws Exception {
      WebServer web = servers.start(MTLS, false);

      HttpResponse<String> response =
          get(TestPki.clientContext(root.certificate(), client), url(web, "/metrics"));

      assertThat(response.statusCode()).isEqualTo(200);
    }

    @Test
    void rejectsClientWithoutCertificate() throws Exception {
      WebServer web = servers.start(MTLS, false);

      assertThatThrownBy(() -> get(trustingClient, url(web, "/metrics")))
          .isInstanceOf(IOException.class);
    }

    @Test
    void rejectsCertificateFromOtherCa() throws Exception {
      WebServer web = servers.start(MTLS, false);
      SSLContext stranger = TestPki.clientContext(root.certificate(), strangerClient);

      assertThatThrownBy(() -> get(stranger, url(web, "/metrics")))
          .isInstanceOf(IOException.class);
    }

    @Test
    void requireAnyAcceptsCertificateFromOtherCa() throws Exception {
      WebServer web = servers.start(TLS + "  client_auth_type: RequireAnyClientCert\n", false);
      SSLContext stranger = TestPki.clientContext(root.certificate(), strangerClient);

      HttpResponse<String> response = get(stranger, url(web, "/metrics"));

      assertThat(response.statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(trustingClient, url(web, "/metrics")))
          .isInstanceOf(IOException.class);
    }

    @Test
    void verifyIfGivenAcceptsClientWithoutCertificate() throws Exception {
      WebServer web = servers.start(TLS + """
            client_auth_type: VerifyClientCertIfGiven
            client_ca_file: client-ca.crt
          """, false);
      SSLContext stranger = TestPki.clientContext(root.certificate(), strangerClient);

      assertThat(get(trustingClient, url(web, "/metrics")).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(stranger, url(web, "/metrics")))
          .isInstanceOf(IOException.class);
    }

    @Test
    void allowedSansAcceptOnlyListedName() throws Exception {
      Issued otherName = TestPki.leaf(root, "other", Algorithm.EC, "other.example");
      WebServer web = servers.start(MTLS + """
            client_allowed_sans:
              - prometheus.example
          """, false);

      HttpResponse<String> listed =
          get(TestPki.clientContext(root.certificate(), client), url(web, "/metrics"));

      assertThat(listed.statusCode()).isEqualTo(200);
      assertThatThrownBy(() ->
          get(TestPki.clientContext(root.certificate(), otherName), url(web, "/metrics")))
          .isInstanceOf(IOException.class);
    }

    @Test
    void healthExemptionServesHealthWithoutCertificate() throws Exception {
      WebServer web = servers.start(MTLS, true);
      SSLContext withCertificate = TestPki.clientContext(root.certificate(), client);
      SSLContext stranger = TestPki.clientContext(root.certificate(), strangerClient);

      assertThat(get(trustingClient, url(web, "/-/healthy")).statusCode()).isEqualTo(200);
      assertThat(get(trustingClient, url(web, "/metrics")).statusCode()).isEqualTo(403);
      assertThat(get(withCertificate, url(web, "/metrics")).statusCode()).isEqualTo(200);
      assertThatThrownBy(() -> get(stranger, url(web, "/-/healthy")))
          .isInstanceOf(IOException.class);
    }
  }

  @Nested
  class PlainHttp {

    @Test
    void plainRequestOnTlsPortFails() throws Exception {
      WebServer web = servers.start(TLS, false);

      String answer = rawPlainRequest(web.port());

      assertThat(answer).doesNotStartWith("HTTP/1.1 200");
      assertThat(get(trustingClient, url(web, "/-/healthy")).statusCode()).isEqualTo(200);
    }

    private String rawPlainRequest(int port) throws IOException {
      try (Socket socket = new Socket("127.0.0.1", port)) {
        socket.setSoTimeout(30_000);
        OutputStream out = socket.getOutputStream();
        out.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        return new String(in.readNBytes(64), StandardCharsets.ISO_8859_1);
      } catch (IOException e) {
        return "connection failed: " + e;
      }
    }
  }

  @Nested
  class BasicAuth {

    private final String users = """
        basic_auth_users:
          alice: %s
          bob: %s
        """.formatted(BCrypt.hashpw("alice-password", BCrypt.gensalt("$2y", 4)),
        BCrypt.hashpw("bob-password", BCrypt.gensalt("$2b", 4)));

    @Test
    void rightPasswordIsAccepted() throws Exception {
      WebServer web = servers.start(TLS + users, false);

      HttpResponse<String> alice = get(trustingClient, url(web, "/metrics"),
          "Authorization", basic("alice", "alice-password"));
      HttpResponse<String> bob = get(trustingClient, url(web, "/api/v1/instances"),
          "Authorization", basic("bob", "bob-password"));

      assertThat(alice.statusCode()).isEqualTo(200);
      assertThat(bob.statusCode()).isEqualTo(200);
    }

    @Test
    void wrongPasswordGets401WithChallenge() throws Exception {
      WebServer web = servers.start(TLS + users, false);

      HttpResponse<String> response = get(trustingClient, url(web, "/metrics"),
          "Authorization", basic("alice", "bob-password"));

      assertThat(response.statusCode()).isEqualTo(401);
      assertThat(response.headers().firstValue("WWW-Authenticate"))
          .hasValue(AccessControl.REALM);
      assertThat(response.body()).doesNotContain("keyprotect_up").doesNotContain("bob-password");
    }

    @Test
    void missingPasswordGets401OnEveryPath() throws Exception {
      WebServer web = servers.start(users, false);
      String base = "http://127.0.0.1:" + web.port();

      for (String path : new String[] {"/metrics", "/", "/api/v1/instances", "/-/ready",
          "/-/healthy", "/no-such-path", "/metrics/"}) {
        HttpResponse<String> response = get(null, base + path);
        assertThat(response.statusCode()).as(path).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).as(path).isPresent();
      }
      assertThat(send(null, null, "POST", base + "/metrics").statusCode()).isEqualTo(401);
      assertThat(send(null, null, "HEAD", base + "/metrics").statusCode()).isEqualTo(401);
    }

    @Test
    void healthExemptionLeavesOnlyHealthOpen() throws Exception {
      WebServer web = servers.start(users, true);
      String base = "http://127.0.0.1:" + web.port();

      assertThat(get(null, base + "/-/healthy").statusCode()).isEqualTo(200);
      assertThat(get(null, base + "/-/ready").statusCode()).isNotEqualTo(401);
      assertThat(get(null, base + "/metrics").statusCode()).isEqualTo(401);
      assertThat(get(null, base + "/").statusCode()).isEqualTo(401);
    }

    @Test
    void passwordsNeverReachLogsOrThreadNames() throws Exception {
      ch.qos.logback.classic.Logger rootLogger = (ch.qos.logback.classic.Logger)
          org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
      ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent> appender =
          new ch.qos.logback.core.read.ListAppender<>();
      appender.start();
      rootLogger.addAppender(appender);
      try {
        WebServer web = servers.start(TLS + users, false);
        get(trustingClient, url(web, "/metrics"), "Authorization", basic("alice", "guess-1"));
        get(trustingClient, url(web, "/metrics"), "Authorization", basic("guess-2", "x"));
        get(trustingClient, url(web, "/metrics"),
            "Authorization", basic("alice", "alice-password"));
      } finally {
        rootLogger.detachAppender(appender);
      }

      String logs = appender.list.stream()
          .map(event -> event.getFormattedMessage() + " " + event.getThreadName())
          .reduce("", String::concat);
      assertThat(logs).contains("Login failed user=alice")
          .doesNotContain("guess-1").doesNotContain("guess-2").doesNotContain("alice-password")
          .doesNotContain(basic("alice", "guess-1").substring(6));
      assertThat(Thread.getAllStackTraces().keySet()).extracting(Thread::getName)
          .noneMatch(name -> name.contains("password") || name.contains("guess"));
    }

    @Test
    void malformedHeaderGets401() throws Exception {
      WebServer web = servers.start(users, false);
      String base = "http://127.0.0.1:" + web.port();

      assertThat(get(null, base + "/metrics", "Authorization", "Basic !!!").statusCode())
          .isEqualTo(401);
      assertThat(get(null, base + "/metrics", "Authorization", "Bearer token").statusCode())
          .isEqualTo(401);
    }
  }

  @Nested
  class Headers {

    @Test
    void addsConfiguredHeadersToEveryResponse() throws Exception {
      WebServer web = servers.start("""
          http_server_config:
            http2: false
            headers:
              X-Frame-Options: deny
              Strict-Transport-Security: max-age=31536000
          basic_auth_users:
            alice: %s
          """.formatted(BCrypt.hashpw("pw", BCrypt.gensalt(4))), false);
      String base = "http://127.0.0.1:" + web.port();

      HttpResponse<String> denied = get(null, base + "/metrics");
      HttpResponse<String> served = get(null, base + "/metrics", "Authorization",
          basic("alice", "pw"));

      for (HttpResponse<String> response : java.util.List.of(denied, served)) {
        assertThat(response.headers().firstValue("X-Frame-Options")).hasValue("deny");
        assertThat(response.headers().firstValue("Strict-Transport-Security"))
            .hasValue("max-age=31536000");
      }
      assertThat(served.statusCode()).isEqualTo(200);
    }
  }

  private static String url(WebServer web, String path) {
    return "https://127.0.0.1:" + web.port() + path;
  }
}
