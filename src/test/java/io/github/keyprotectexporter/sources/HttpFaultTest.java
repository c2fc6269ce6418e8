package io.github.keyprotectexporter.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.ProbeSettings;
import io.github.keyprotectexporter.testing.HttpFault;
import io.github.keyprotectexporter.testing.MutableClock;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every broken response of {@link HttpFault}, met by the crypto-units request, the IAM token
 * request and the key probe, ends as their classified exception and never as another one.
 */
class HttpFaultTest {

  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String TOKEN_PATH = "/identity/token";
  private static final String UNITS_PATH = "/api/v1/cryptounits";
  private static final String KEYS_PATH = "/api/v2/keys";
  private static final String UNITS_JSON = """
      [{"id": "u1", "state": "kms-initialized"}, {"id": "u2", "state": "kms-initialized"}]""";
  private static final Duration TIMEOUT = Duration.ofMillis(HttpFault.MAX_CLIENT_TIMEOUT_MILLIS);

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance()
          .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
          .build();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingListener listener = new RecordingListener();
  private final OkHttpClient http = HttpCalls.newClient(TIMEOUT);

  @AfterEach
  void shutDownClient() {
    HttpCalls.shutDown(http);
  }

  private IamTokenProvider tokens(String iamBaseUrl) {
    return new IamTokenProvider(http, URI.create(iamBaseUrl + TOKEN_PATH), FakeSecrets.apiKey(),
        clock, listener);
  }

  private static void issueTokens() {
    server.stubFor(post(urlPathEqualTo(TOKEN_PATH))
        .willReturn(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600))));
  }

  /** Returns the base URL at which {@code fault} waits: a closed port for a refused connection. */
  private static String baseUrlFor(HttpFault fault) throws IOException {
    if (fault != HttpFault.REFUSED) {
      return server.baseUrl();
    }
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  private static InstanceConfig instance(String endpoint, String probeEndpoint) {
    ProbeSettings probe =
        new ProbeSettings(true, Duration.ofMinutes(1), URI.create(probeEndpoint));
    return new InstanceConfig(INSTANCE, "test", "us-south", false, URI.create(endpoint), probe);
  }

  private static void assertSecretFree(Throwable failure) {
    FakeSecrets.assertNoSecretIn(failure);
  }

  @Nested
  class CryptoUnitsRequest {

    @ParameterizedTest
    @EnumSource(HttpFault.class)
    void endsAsClassifiedPollException(HttpFault fault) throws Exception {
      issueTokens();
      if (fault != HttpFault.REFUSED) {
        server.stubFor(get(urlPathEqualTo(UNITS_PATH)).willReturn(fault.response(UNITS_JSON)));
      }
      KeyProtectApiSource source = new KeyProtectApiSource(http, tokens(server.baseUrl()),
          listener, new UnknownStateLog());

      Throwable failure = catchThrowable(
          () -> source.listCryptoUnits(instance(baseUrlFor(fault), server.baseUrl())));

      assertThat(failure).as(fault.name()).isInstanceOf(PollException.class);
      assertThat(((PollException) failure).reason()).as(fault.name()).isEqualTo(fault.reason());
      if (fault.reason() != PollErrorReason.BAD_RESPONSE) {
        // The parser describes the body only; the poll's log line adds the instance id.
        assertThat(failure.getMessage()).contains(UNITS_PATH);
      }
      assertSecretFree(failure);
    }
  }

  @Nested
  class IamTokenRequest {

    @ParameterizedTest
    @EnumSource(HttpFault.class)
    void endsAsClassifiedPollException(HttpFault fault) throws Exception {
      String tokenJson = FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600);
      if (fault != HttpFault.REFUSED) {
        server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(fault.response(tokenJson)));
      }
      IamTokenProvider tokens = tokens(baseUrlFor(fault));

      Throwable failure = catchThrowable(() -> tokens.token(INSTANCE));

      assertThat(failure).as(fault.name()).isInstanceOf(PollException.class);
      assertThat(((PollException) failure).reason()).as(fault.name()).isEqualTo(fault.reason());
      assertThat(failure.getMessage()).contains(TOKEN_PATH);
      assertSecretFree(failure);
    }
  }

  @Nested
  class KeyProbeRequest {

    private KeyApiProbe probe() {
      return new KeyApiProbe(http, tokens(server.baseUrl()), listener);
    }

    private ProbeException probeFailure(InstanceConfig instance) {
      Throwable failure = catchThrowable(() -> probe().probe(instance));
      assertThat(failure).isInstanceOf(ProbeException.class);
      assertSecretFree(failure);
      return (ProbeException) failure;
    }

    @ParameterizedTest
    @EnumSource(HttpFault.class)
    void headFaultEndsAsTimeoutOrNetwork(HttpFault fault) throws Exception {
      issueTokens();
      if (fault != HttpFault.REFUSED) {
        server.stubFor(head(urlPathEqualTo(KEYS_PATH)).willReturn(fault.response("{}")));
      }

      Throwable failure = catchThrowable(
          () -> probe().probe(instance(server.baseUrl(), baseUrlFor(fault))));

      if (!fault.hitsHeadRequests()) {
        // A HEAD response has no body to read, so a broken or oversize body cannot fail it.
        assertThat(failure).as(fault.name()).isNull();
        return;
      }
      assertThat(failure).as(fault.name()).isInstanceOf(ProbeException.class);
      ProbeFailureReason expected = fault.reason() == PollErrorReason.TIMEOUT
          ? ProbeFailureReason.TIMEOUT
          : ProbeFailureReason.NETWORK;
      assertThat(((ProbeException) failure).reason()).as(fault.name()).isEqualTo(expected);
      assertSecretFree(failure);
    }

    @ParameterizedTest
    @EnumSource(value = HttpFault.class, names = "REFUSED", mode = EnumSource.Mode.EXCLUDE)
    void faultReadingThe503BodyEndsAsUnavailable(HttpFault fault) {
      issueTokens();
      server.stubFor(head(urlPathEqualTo(KEYS_PATH)).willReturn(aResponse().withStatus(503)));
      server.stubFor(get(urlPathEqualTo(KEYS_PATH)).willReturn(fault.response("{}")));

      ProbeException failure = probeFailure(instance(server.baseUrl(), server.baseUrl()));

      assertThat(failure.reason()).as(fault.name()).isEqualTo(ProbeFailureReason.UNAVAILABLE);
      assertThat(failure.getMessage()).contains("returned HTTP 503");
    }

    @ParameterizedTest
    @EnumSource(HttpFault.class)
    void tokenFaultEndsAsClassifiedProbeFailure(HttpFault fault) throws Exception {
      String tokenJson = FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600);
      if (fault != HttpFault.REFUSED) {
        server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(fault.response(tokenJson)));
      }
      server.stubFor(head(urlPathEqualTo(KEYS_PATH)).willReturn(aResponse().withStatus(200)));
      KeyApiProbe probe = new KeyApiProbe(http, tokens(baseUrlFor(fault)), listener);

      Throwable failure = catchThrowable(
          () -> probe.probe(instance(server.baseUrl(), server.baseUrl())));

      assertThat(failure).as(fault.name()).isInstanceOf(ProbeException.class);
      ProbeFailureReason expected = switch (fault.reason()) {
        case TIMEOUT -> ProbeFailureReason.TIMEOUT;
        case NETWORK -> ProbeFailureReason.NETWORK;
        default -> ProbeFailureReason.OTHER;
      };
      assertThat(((ProbeException) failure).reason()).as(fault.name()).isEqualTo(expected);
      assertSecretFree(failure);
    }
  }
}
