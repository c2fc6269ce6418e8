package io.github.keyprotectexporter.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.config.ProbeSettings;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API, IAM and probe requests of the real sources go through a proxy that a local {@link
 * RecordingProxy} plays. Targets are made-up host names that only the proxy responds to, or
 * WireMock on 127.0.0.1 when NO_PROXY sends them direct.
 */
class OutgoingProxyTest {

  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String IAM_URL = "http://iam.proxy-only.test/identity/token";
  private static final String API_URL = "http://kp.proxy-only.test:8080";
  private static final String PASSWORD = "s3cret-Pa55:w@rd";
  private static final String USER_INFO = "alice:s3cret-Pa55%3Aw%40rd";
  private static final PollSettings SETTINGS = new PollSettings(Duration.ofSeconds(30),
      Duration.ofSeconds(5), Duration.ofSeconds(90), Duration.ZERO, 1);

  @RegisterExtension
  static WireMockExtension wireMock =
      WireMockExtension.newInstance()
          .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
          .build();

  private RecordingProxy proxy;
  private RoutingCryptoUnitSource source;

  @AfterEach
  void stop() throws Exception {
    if (source != null) {
      source.close();
    }
    if (proxy != null) {
      proxy.close();
    }
  }

  private RoutingCryptoUnitSource create(String iamUrl, String endpoint,
      Map<String, String> environment) {
    ProbeSettings probe = new ProbeSettings(true, Duration.ofMinutes(1), URI.create(endpoint));
    InstanceConfig instance =
        new InstanceConfig(INSTANCE, "test", "us-south", false, URI.create(endpoint), probe);
    ExporterConfig config = new ExporterConfig(SETTINGS,
        new IamSettings(URI.create(iamUrl), "UNUSED", null), List.of(instance));
    source = CryptoUnitSources.create(config, FakeSecrets.apiKey(), ApiRequestListener.NONE,
        Clock.systemUTC(), environment);
    return source;
  }

  private static InstanceConfig instanceAt(String endpoint) {
    ProbeSettings probe = new ProbeSettings(true, Duration.ofMinutes(1), URI.create(endpoint));
    return new InstanceConfig(INSTANCE, "test", "us-south", false, URI.create(endpoint), probe);
  }

  private static String basic(String user, String password) {
    String pair = user + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void sendsEveryRequestInAbsoluteForm() throws Exception {
    proxy = new RecordingProxy(null);
    create(IAM_URL, API_URL, Map.of("HTTP_PROXY", proxy.url(null)));

    List<CryptoUnit> units = source.listCryptoUnits(instanceAt(API_URL));
    source.keyProbe().probe(instanceAt(API_URL));

    assertThat(units).extracting(CryptoUnit::id).containsExactly("u1", "u2");
    assertThat(proxy.requestLines()).containsExactly(
        "POST " + IAM_URL + " HTTP/1.1",
        "GET " + API_URL + "/api/v1/cryptounits HTTP/1.1",
        "HEAD " + API_URL + "/api/v2/keys HTTP/1.1");
  }

  @Test
  void proxiesLoopbackTargetUnlessListed() throws Exception {
    proxy = new RecordingProxy(null);
    String loopback = "http://127.0.0.1:" + wireMock.getPort();
    create(IAM_URL, loopback, Map.of("http_proxy", proxy.url(null)));

    source.listCryptoUnits(instanceAt(loopback));

    assertThat(proxy.requestLines())
        .contains("GET " + loopback + "/api/v1/cryptounits HTTP/1.1");
    assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo("/api/v1/cryptounits")))).isEmpty();
  }

  @Test
  void noProxyHostGoesDirect() throws Exception {
    proxy = new RecordingProxy(null);
    wireMock.stubFor(get(urlPathEqualTo("/api/v1/cryptounits"))
        .willReturn(okJson(RecordingProxy.UNITS_JSON)));
    String loopback = "http://127.0.0.1:" + wireMock.getPort();
    create(IAM_URL, loopback,
        Map.of("HTTP_PROXY", proxy.url(null), "NO_PROXY", "localhost,127.0.0.1"));

    List<CryptoUnit> units = source.listCryptoUnits(instanceAt(loopback));

    assertThat(units).hasSize(2);
    assertThat(proxy.requestLines()).containsExactly("POST " + IAM_URL + " HTTP/1.1");
    assertThat(wireMock.findAll(getRequestedFor(urlPathEqualTo("/api/v1/cryptounits"))))
        .hasSize(1);
  }

  @Test
  void sendsCredentialsAsProxyAuthorization() throws Exception {
    proxy = new RecordingProxy(basic("alice", PASSWORD));
    try (CapturedLogs logs = new CapturedLogs()) {
      create(IAM_URL, API_URL, Map.of("HTTP_PROXY", proxy.url(USER_INFO)));

      List<CryptoUnit> units = source.listCryptoUnits(instanceAt(API_URL));

      assertThat(units).hasSize(2);
      // Up front on each request, so the proxy never had to ask with a 407.
      assertThat(proxy.received()).hasSize(2).allSatisfy(received ->
          assertThat(received.proxyAuthorization()).isEqualTo(basic("alice", PASSWORD)));
      assertThat(logs.messages(Level.INFO)).anySatisfy(message ->
          assertThat(message).contains("Outgoing proxies").contains("127.0.0.1:"));
      for (var event : logs.events()) {
        assertThat(event.getFormattedMessage()).doesNotContain("s3cret").doesNotContain("alice");
      }
    }
  }

  @Test
  void rejectedCredentialsFailAsClientError() throws Exception {
    proxy = new RecordingProxy(basic("alice", "another-password"));
    create(IAM_URL, API_URL, Map.of("HTTP_PROXY", proxy.url(USER_INFO)));

    PollException failure = catchThrowableOfType(PollException.class,
        () -> source.listCryptoUnits(instanceAt(API_URL)));

    assertThat(failure.reason()).isEqualTo(PollErrorReason.CLIENT_ERROR);
    assertThat(failure.getMessage()).contains("407").doesNotContain("s3cret");
    // One request with the credentials; the 407 is not retried with the same ones.
    assertThat(proxy.received()).hasSize(1);
  }

  @Test
  void tunnelsHttpsTargetWithConnect() throws Exception {
    proxy = new RecordingProxy(basic("alice", PASSWORD));
    create("https://iam.proxy-only.test/identity/token", "https://kp.proxy-only.test",
        Map.of("HTTPS_PROXY", proxy.url(USER_INFO), "HTTP_PROXY", "http://unused.test:1"));

    PollException failure = catchThrowableOfType(PollException.class,
        () -> source.listCryptoUnits(instanceAt("https://kp.proxy-only.test")));

    assertThat(failure.reason()).isEqualTo(PollErrorReason.NETWORK);
    assertThat(proxy.received()).isNotEmpty().allSatisfy(received -> {
      assertThat(received.requestLine()).isEqualTo("CONNECT iam.proxy-only.test:443 HTTP/1.1");
      assertThat(received.proxyAuthorization()).isEqualTo(basic("alice", PASSWORD));
    });
  }

  @Test
  void malformedProxyFailsCreation() {
    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
        () -> create(IAM_URL, API_URL, Map.of("HTTPS_PROXY", "ftp://alice:pw@proxy.test")));

    assertThat(e.getMessage()).contains("HTTPS_PROXY").doesNotContain("alice");
  }
}
