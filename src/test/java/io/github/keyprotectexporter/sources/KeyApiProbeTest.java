package io.github.keyprotectexporter.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
import static com.github.tomakehurst.wiremock.client.WireMock.headRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.ProbeSettings;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyApiProbeTest {

  static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  static final String KEYS_PATH = "/api/v2/keys";
  static final String TOKEN_PATH = "/identity/token";
  private static final String UUID_PATTERN =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";
  private static final String ERROR_ENVELOPE =
      """
      {"metadata": {"collectionType": "application/vnd.ibm.kms.error+json", "collectionTotal": 1},
       "resources": [{"errorMsg": "%s", "reasons": [{"code": "%s", "status": %d}]}]}
      """;

  @RegisterExtension
  static WireMockExtension iam =
      WireMockExtension.newInstance()
          .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
          .build();

  @RegisterExtension
  static WireMockExtension keyApi =
      WireMockExtension.newInstance()
          .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
          .build();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingListener listener = new RecordingListener();
  private KeyApiProbe probe;

  @BeforeEach
  void issueTokens() {
    iam.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .inScenario("iam")
            .whenScenarioStateIs(STARTED)
            .willReturn(okToken(FakeSecrets.TOKEN_A))
            .willSetStateTo("first issued"));
    iam.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .inScenario("iam")
            .whenScenarioStateIs("first issued")
            .willReturn(okToken(FakeSecrets.TOKEN_B)));
    probe = newProbe(Duration.ofSeconds(10));
  }

  private static ResponseDefinitionBuilder okToken(String token) {
    return aResponse()
        .withStatus(200)
        .withHeader("Content-Type", "application/json")
        .withBody(FakeSecrets.tokenResponse(token, 3600));
  }

  private KeyApiProbe newProbe(Duration apiTimeout) {
    OkHttpClient iamHttp = HttpCalls.newClient(Duration.ofSeconds(10));
    OkHttpClient apiHttp =
        iamHttp.newBuilder().callTimeout(apiTimeout).readTimeout(apiTimeout).build();
    IamTokenProvider tokens =
        new IamTokenProvider(
            iamHttp, URI.create(iam.baseUrl() + TOKEN_PATH), FakeSecrets.apiKey(), clock, listener);
    return new KeyApiProbe(apiHttp, tokens, listener);
  }

  private static InstanceConfig instance(String probeEndpoint) {
    ProbeSettings settings =
        new ProbeSettings(true, Duration.ofMinutes(1), URI.create(probeEndpoint));
    return new InstanceConfig(
        INSTANCE, "test", "us-south", false, URI.create("http://127.0.0.1:1"), settings);
  }

  private static InstanceConfig instance() {
    return instance(keyApi.baseUrl());
  }

  private static void stubHead(ResponseDefinitionBuilder response) {
    keyApi.stubFor(head(urlPathEqualTo(KEYS_PATH)).willReturn(response));
  }

  private static void stubListing(ResponseDefinitionBuilder response) {
    keyApi.stubFor(get(urlPathEqualTo(KEYS_PATH)).willReturn(response));
  }

  private static ResponseDefinitionBuilder status(int status) {
    return aResponse().withStatus(status);
  }

  private static ResponseDefinitionBuilder errorEnvelope(int status, String message, String code) {
    return aResponse()
        .withStatus(status)
        .withHeader("Content-Type", "application/json")
        .withBody(ERROR_ENVELOPE.formatted(message, code, status));
  }

  private ProbeException probeFailure() {
    return probeFailure(probe, instance());
  }

  private static ProbeException probeFailure(KeyApiProbe probe, InstanceConfig instance) {
    ProbeException failure =
        catchThrowableOfType(ProbeException.class, () -> probe.probe(instance));
    assertThat(failure).as("probe failure").isNotNull();
    FakeSecrets.assertNoSecretIn(failure);
    return failure;
  }

  private static int listings() {
    return keyApi.findAll(getRequestedFor(urlPathEqualTo(KEYS_PATH))).size();
  }

  @Nested
  class Success {

    @Test
    void headWithKeyTotalSucceeds() throws Exception {
      stubHead(status(200).withHeader("Key-Total", "12"));

      probe.probe(instance());

      assertThat(listener.requests())
          .containsExactly(INSTANCE + " iam_token 200", INSTANCE + " key_probe 200");
      assertThat(listings()).isZero();
    }

    @Test
    void sendsTokenInstanceAndRequestId() throws Exception {
      stubHead(status(200));

      probe.probe(instance());

      keyApi.verify(
          headRequestedFor(urlPathEqualTo(KEYS_PATH))
              .withHeader("Authorization", equalTo("Bearer " + FakeSecrets.TOKEN_A))
              .withHeader("Bluemix-Instance", equalTo(INSTANCE))
              .withHeader("X-Request-ID", matching(UUID_PATTERN)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/kms", "/kms/"})
    void joinsEndpointPath(String endpointPath) throws Exception {
      String expectedPath = endpointPath.startsWith("/kms") ? "/kms" + KEYS_PATH : KEYS_PATH;
      keyApi.stubFor(head(urlPathEqualTo(expectedPath)).willReturn(status(200)));

      probe.probe(instance(keyApi.baseUrl() + endpointPath));

      keyApi.verify(1, headRequestedFor(urlPathEqualTo(expectedPath)));
    }

    @Test
    void retriesOnceWithNewTokenAfter401() throws Exception {
      keyApi.stubFor(
          head(urlPathEqualTo(KEYS_PATH))
              .withHeader("Authorization", equalTo("Bearer " + FakeSecrets.TOKEN_A))
              .willReturn(status(401)));
      keyApi.stubFor(
          head(urlPathEqualTo(KEYS_PATH))
              .withHeader("Authorization", equalTo("Bearer " + FakeSecrets.TOKEN_B))
              .willReturn(status(200)));

      probe.probe(instance());

      assertThat(iam.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))).hasSize(2);
      assertThat(listener.requests())
          .containsExactly(
              INSTANCE + " iam_token 200",
              INSTANCE + " key_probe 401",
              INSTANCE + " iam_token 200",
              INSTANCE + " key_probe 200");
    }
  }

  @Nested
  class ServiceUnavailable {

    @Test
    void plainTextBodyIsNoHealthyUpstream() {
      stubHead(status(503));
      stubListing(status(503).withHeader("Content-Type", "text/plain").withBody(
          "no healthy upstream"));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.NO_HEALTHY_UPSTREAM);
      assertThat(failure.getMessage())
          .isEqualTo("HEAD " + keyApi.baseUrl() + KEYS_PATH
              + " returned HTTP 503: no healthy upstream");
      keyApi.verify(
          1,
          getRequestedFor(urlPathEqualTo(KEYS_PATH))
              .withQueryParam("limit", equalTo("1"))
              .withHeader("Bluemix-Instance", equalTo(INSTANCE)));
      assertThat(listener.requests())
          .containsExactly(
              INSTANCE + " iam_token 200", INSTANCE + " key_probe 503", INSTANCE + " key_probe 503");
    }

    @Test
    void jsonEnvelopeIsNoHealthyUpstream() {
      stubHead(status(503));
      stubListing(errorEnvelope(503, "Service Unavailable: No Healthy Upstream", "UNAVAILABLE"));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.NO_HEALTHY_UPSTREAM);
      assertThat(failure.getMessage()).endsWith(": Service Unavailable: No Healthy Upstream");
    }

    @Test
    void otherBodyIsUnavailable() {
      stubHead(status(503));
      stubListing(errorEnvelope(503, "Service Unavailable: maintenance window", "UNAVAILABLE"));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.UNAVAILABLE);
      assertThat(failure.getMessage()).contains("maintenance window");
    }

    @Test
    void emptyBodyIsUnavailable() {
      stubHead(status(503));
      stubListing(status(503));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.UNAVAILABLE);
      assertThat(failure.getMessage()).endsWith(" returned HTTP 503");
    }

    @Test
    void recoveredFollowUpIsStillUnavailable() {
      stubHead(status(503));
      stubListing(status(200).withBody("{\"resources\": []}"));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.UNAVAILABLE);
      assertThat(failure.getMessage())
          .endsWith("(a follow-up GET to read the error returned HTTP 200)");
    }

    @Test
    void echoedTokenIsMasked() {
      stubHead(status(503));
      stubListing(
          status(503).withBody("no healthy upstream for Bearer " + FakeSecrets.TOKEN_A));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.NO_HEALTHY_UPSTREAM);
      assertThat(failure.getMessage()).contains("Bearer ****");
    }
  }

  @Nested
  class Statuses {

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 504})
    void otherServerErrorsAreServerError(int status) {
      stubHead(status(status));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.SERVER_ERROR);
      assertThat(failure.getMessage()).endsWith(" returned HTTP " + status);
      assertThat(listings()).isZero();
    }

    @Test
    void repeated401IsAuth() {
      stubHead(status(401));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.AUTH);
      assertThat(iam.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))).hasSize(2);
      assertThat(keyApi.findAll(headRequestedFor(urlPathEqualTo(KEYS_PATH)))).hasSize(2);
    }

    @Test
    void repeated401SkipsRefreshWithinRetryDelay() {
      stubHead(status(401));
      probeFailure();

      clock.advance(Duration.ofSeconds(60));
      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.AUTH);
      assertThat(iam.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH)))).hasSize(2);
      assertThat(keyApi.findAll(headRequestedFor(urlPathEqualTo(KEYS_PATH)))).hasSize(3);
    }

    @Test
    void forbiddenIsAuthWithoutRetry() {
      stubHead(status(403));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.AUTH);
      assertThat(failure.getMessage()).contains("may read the keys of this instance");
      assertThat(keyApi.findAll(headRequestedFor(urlPathEqualTo(KEYS_PATH)))).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 409})
    void clientErrorsAreOther(int status) {
      stubHead(status(status));

      assertThat(probeFailure().reason()).isEqualTo(ProbeFailureReason.OTHER);
    }

    @Test
    void redirectIsOtherAndNotFollowed() {
      stubHead(status(302).withHeader("Location", "http://127.0.0.1:1/elsewhere"));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.OTHER);
      assertThat(failure.getMessage())
          .contains("redirects are not followed, Location: http://127.0.0.1:1/elsewhere");
    }

    @Test
    void redirectLocationLosesQueryAndUserInfo() {
      stubHead(
          status(301).withHeader("Location", "http://user:pw@127.0.0.1:1/login?token=abc#top"));

      ProbeException failure = probeFailure();

      assertThat(failure.getMessage())
          .contains("Location: http://127.0.0.1:1/login)")
          .doesNotContain("token=abc")
          .doesNotContain("pw")
          .doesNotContain("#top");
    }
  }

  @Nested
  class TokenAndTransport {

    @Test
    void rejectedApiKeyIsAuth() {
      iam.resetAll();
      iam.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(status(400).withBody(
          "{\"errorCode\": \"BXNIM0415E\", \"errorMessage\": \"Provided API key could not be"
              + " found.\"}")));

      ProbeException failure = probeFailure();

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.AUTH);
      assertThat(keyApi.getAllServeEvents()).isEmpty();
    }

    @Test
    void failingIamIsOther() {
      iam.resetAll();
      iam.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(status(500)));

      assertThat(probeFailure().reason()).isEqualTo(ProbeFailureReason.OTHER);
    }

    @Test
    void slowResponseIsTimeout() {
      stubHead(status(200).withFixedDelay(3000));
      KeyApiProbe impatient = newProbe(Duration.ofMillis(300));

      ProbeException failure = probeFailure(impatient, instance());

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.TIMEOUT);
      assertThat(failure.getMessage()).contains(KEYS_PATH).contains("timed out");
      assertThat(listener.requests()).contains(INSTANCE + " key_probe none");
    }

    @Test
    void refusedConnectionIsNetwork() throws Exception {
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = socket.getLocalPort();
      }

      ProbeException failure = probeFailure(probe, instance("http://127.0.0.1:" + closedPort));

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.NETWORK);
      assertThat(failure.getMessage()).contains("127.0.0.1:" + closedPort);
      assertThat(listener.requests()).contains(INSTANCE + " key_probe none");
    }
  }
}
