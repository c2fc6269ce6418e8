package io.github.keyprotectexporter.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.matching;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.verification.LoggedRequest;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class KeyProtectApiSourceTest {

  static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  static final String UNITS_PATH = "/api/v1/cryptounits";
  static final String TOKEN_PATH = "/identity/token";
  private static final String UUID_PATTERN =
      "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}";

  @RegisterExtension
  static WireMockExtension iam =
      WireMockExtension.newInstance()
          .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
          .build();

  @RegisterExtension
  static WireMockExtension api =
      WireMockExtension.newInstance()
          .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
          .build();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingListener listener = new RecordingListener();
  private KeyProtectApiSource source;

  @BeforeEach
  void issueTokenA() {
    stubIamTokens(FakeSecrets.TOKEN_A, FakeSecrets.TOKEN_B);
    source = newSource(Duration.ofSeconds(10));
  }

  @AfterEach
  void closeSource() {
    source.close();
  }

  /** Stubs IAM to issue {@code first}, then {@code second} on every later request. */
  static void stubIamTokens(String first, String second) {
    iam.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .inScenario("iam")
            .whenScenarioStateIs(STARTED)
            .willReturn(okJson(FakeSecrets.tokenResponse(first, 3600)))
            .willSetStateTo("first issued"));
    iam.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .inScenario("iam")
            .whenScenarioStateIs("first issued")
            .willReturn(okJson(FakeSecrets.tokenResponse(second, 3600))));
  }

  /** Creates a source whose IAM requests have a long timeout and API requests {@code timeout}. */
  KeyProtectApiSource newSource(Duration apiTimeout) {
    OkHttpClient iamHttp = HttpCalls.newClient(Duration.ofSeconds(10));
    OkHttpClient apiHttp =
        iamHttp.newBuilder().callTimeout(apiTimeout).readTimeout(apiTimeout).build();
    IamTokenProvider tokens =
        new IamTokenProvider(
            iamHttp,
            URI.create(iam.baseUrl() + TOKEN_PATH),
            FakeSecrets.apiKey(),
            clock,
            listener,
            () -> 0L);
    return new KeyProtectApiSource(apiHttp, tokens, listener, new UnknownStateLog());
  }

  static InstanceConfig instance(String endpoint) {
    return new InstanceConfig(INSTANCE, "test", "us-south", false, URI.create(endpoint));
  }

  static InstanceConfig instance() {
    return instance(api.baseUrl());
  }

  static void stubUnits(ResponseDefinitionBuilder response) {
    api.stubFor(get(urlPathEqualTo(UNITS_PATH)).willReturn(response));
  }

  static ResponseDefinitionBuilder twoUnits() {
    return okJson(
        """
        [
          {"id": "u1", "instanceId": "%1$s", "state": "kms-initialized"},
          {"id": "u2", "instanceId": "%1$s", "state": "maintenance"}
        ]
        """
            .formatted(INSTANCE));
  }

  private PollException pollFailure() {
    return pollFailure(source);
  }

  private static PollException pollFailure(KeyProtectApiSource source) {
    return catchThrowableOfType(PollException.class, () -> source.listCryptoUnits(instance()));
  }

  private static int apiRequests() {
    return api.findAll(getRequestedFor(urlPathEqualTo(UNITS_PATH))).size();
  }

  private static int iamRequests() {
    return iam.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))).size();
  }

  @Nested
  class Requests {

    @Test
    void returnsParsedUnits() throws Exception {
      stubUnits(twoUnits());

      List<CryptoUnit> units = source.listCryptoUnits(instance());

      assertThat(units)
          .containsExactly(
              new CryptoUnit("u1", CryptoUnitState.KMS_INITIALIZED, "kms-initialized"),
              new CryptoUnit("u2", CryptoUnitState.MAINTENANCE, "maintenance"));
    }

    @Test
    void sendsInstanceAndTokenHeaders() throws Exception {
      stubUnits(twoUnits());

      source.listCryptoUnits(instance());

      api.verify(
          getRequestedFor(urlPathEqualTo(UNITS_PATH))
              .withHeader("Authorization", equalTo("Bearer " + FakeSecrets.TOKEN_A))
              .withHeader("Bluemix-Instance", equalTo(INSTANCE))
              .withHeader("Instance-ID", equalTo(INSTANCE))
              .withHeader("X-Request-ID", matching(UUID_PATTERN))
              .withHeader("Accept", equalTo("application/json")));
    }

    @Test
    void sendsNewRequestIdEachPoll() throws Exception {
      stubUnits(twoUnits());

      source.listCryptoUnits(instance());
      source.listCryptoUnits(instance());

      Set<String> requestIds = new HashSet<>();
      for (LoggedRequest request : api.findAll(getRequestedFor(urlPathEqualTo(UNITS_PATH)))) {
        requestIds.add(request.getHeader("X-Request-ID"));
      }
      assertThat(requestIds).hasSize(2);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "/", "/kms", "/kms/", "/kms//"})
    void joinsEndpointPath(String endpointPath) throws Exception {
      String expectedPath = endpointPath.startsWith("/kms") ? "/kms" + UNITS_PATH : UNITS_PATH;
      api.stubFor(get(urlPathEqualTo(expectedPath)).willReturn(twoUnits()));

      List<CryptoUnit> units = source.listCryptoUnits(instance(api.baseUrl() + endpointPath));

      assertThat(units).hasSize(2);
      api.verify(1, getRequestedFor(urlPathEqualTo(expectedPath)));
    }

    @Test
    void reusesTokenAcrossPolls() throws Exception {
      stubUnits(twoUnits());

      source.listCryptoUnits(instance());
      source.listCryptoUnits(instance());
      source.listCryptoUnits(instance());

      assertThat(iamRequests()).isEqualTo(1);
      assertThat(apiRequests()).isEqualTo(3);
    }

    @Test
    void refreshesTokenAfterEightyPercent() throws Exception {
      stubUnits(twoUnits());
      source.listCryptoUnits(instance());

      clock.advance(Duration.ofSeconds(2879));
      source.listCryptoUnits(instance());
      clock.advance(Duration.ofSeconds(1));
      source.listCryptoUnits(instance());

      List<LoggedRequest> requests = api.findAll(getRequestedFor(urlPathEqualTo(UNITS_PATH)));
      assertThat(requests)
          .extracting(request -> request.getHeader("Authorization"))
          .containsExactly(
              "Bearer " + FakeSecrets.TOKEN_A,
              "Bearer " + FakeSecrets.TOKEN_A,
              "Bearer " + FakeSecrets.TOKEN_B);
    }

    @Test
    void logsEachRequestAtDebug() throws Exception {
      stubUnits(twoUnits());

      try (CapturedLogs logs = new CapturedLogs()) {
        source.listCryptoUnits(instance());

        String requestId =
            api.findAll(getRequestedFor(urlPathEqualTo(UNITS_PATH)))
                .get(0)
                .getHeader("X-Request-ID");
        assertThat(logs.messages(ch.qos.logback.classic.Level.DEBUG))
            .filteredOn(message -> message.contains(UNITS_PATH))
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains("instance_id=" + INSTANCE)
            .contains("status=200")
            .contains("durationMs=")
            .contains("requestId=" + requestId)
            .doesNotContain("Bearer");
      }
    }

    @Test
    void logsInstanceIdUnderOneKey() throws Exception {
      api.stubFor(
          get(urlPathEqualTo(UNITS_PATH))
              .withHeader("Authorization", equalTo("Bearer " + FakeSecrets.TOKEN_A))
              .willReturn(aResponse().withStatus(401)));
      api.stubFor(
          get(urlPathEqualTo(UNITS_PATH))
              .withHeader("Authorization", equalTo("Bearer " + FakeSecrets.TOKEN_B))
              .willReturn(okJson("[null, {\"id\": \"u1\", \"state\": \"brand-new\"}]")));

      try (CapturedLogs logs = new CapturedLogs()) {
        source.listCryptoUnits(instance());

        assertThat(logs.events())
            .filteredOn(event -> event.getLoggerName().contains(".sources."))
            .extracting(event -> event.getFormattedMessage())
            .filteredOn(message -> message.contains(INSTANCE))
            .hasSizeGreaterThanOrEqualTo(6)
            .allSatisfy(
                message ->
                    assertThat(message)
                        .contains("instance_id=" + INSTANCE)
                        .doesNotContain("instance=")
                        .doesNotContain("unit="));
      }
    }

    @Test
    void reportsEveryRequestToListener() throws Exception {
      stubUnits(twoUnits());

      source.listCryptoUnits(instance());

      assertThat(listener.requests())
          .containsExactly(INSTANCE + " iam_token 200", INSTANCE + " list_crypto_units 200");
    }
  }

  @Nested
  class Unauthorized {

    @Test
    void retriesOnceWithNewToken() throws Exception {
      api.stubFor(
          get(urlPathEqualTo(UNITS_PATH))
              .withHeader("Authorization", equalTo("Bearer " + FakeSecrets.TOKEN_A))
              .willReturn(aResponse().withStatus(401)));
      api.stubFor(
          get(urlPathEqualTo(UNITS_PATH))
              .withHeader("Authorization", equalTo("Bearer " + FakeSecrets.TOKEN_B))
              .willReturn(twoUnits()));

      List<CryptoUnit> units = source.listCryptoUnits(instance());

      assertThat(units).hasSize(2);
      assertThat(apiRequests()).isEqualTo(2);
      assertThat(iamRequests()).isEqualTo(2);
      assertThat(listener.requests())
          .containsExactly(
              INSTANCE + " iam_token 200",
              INSTANCE + " list_crypto_units 401",
              INSTANCE + " iam_token 200",
              INSTANCE + " list_crypto_units 200");
    }

    @Test
    void failsAsAuthWhenRetryAlsoRejected() throws Exception {
      stubUnits(
          aResponse()
              .withStatus(401)
              .withHeader("Content-Type", "application/json")
              .withBody(CryptoUnitsParserTest.fixture("error-unauthorized.json")));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.AUTH);
      assertThat(failure.getMessage())
          .contains("HTTP 401")
          .contains("Unauthorized: The user does not have access to the specified resource")
          .contains("after a token refresh");
      assertThat(apiRequests()).isEqualTo(2);
      assertThat(iamRequests()).isEqualTo(2);
    }

    @Test
    void skipsRefreshWhileNewTokenIsRejectedToo() {
      stubUnits(aResponse().withStatus(401).withBody("unauthorized"));
      pollFailure();
      assertThat(apiRequests()).isEqualTo(2);
      assertThat(iamRequests()).isEqualTo(2);

      clock.advance(Duration.ofSeconds(30));
      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.AUTH);
      assertThat(failure.getMessage()).contains("HTTP 401").contains("after a token refresh");
      assertThat(apiRequests()).isEqualTo(3);
      assertThat(iamRequests()).isEqualTo(2);
    }

    @Test
    void refreshesAgainAfterRetryDelay() {
      stubUnits(aResponse().withStatus(401).withBody("unauthorized"));
      pollFailure();

      // 5% of the 3600 s lifetime, the provider's refresh retry delay.
      clock.advance(Duration.ofSeconds(180));
      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.AUTH);
      assertThat(apiRequests()).isEqualTo(4);
      assertThat(iamRequests()).isEqualTo(3);
    }

    @Test
    void failsAsAuthOnForbiddenWithoutRetry() {
      stubUnits(aResponse().withStatus(403).withBody("forbidden"));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.AUTH);
      assertThat(failure.getMessage()).contains("HTTP 403: forbidden");
      assertThat(apiRequests()).isEqualTo(1);
    }

    @Test
    void failsWhenIamRejectsKey() throws Exception {
      iam.resetAll();
      iam.stubFor(
          post(urlPathEqualTo(TOKEN_PATH))
              .willReturn(
                  aResponse()
                      .withStatus(400)
                      .withBody(CryptoUnitsParserTest.fixture("iam-error-invalid-key.json"))));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.AUTH);
      assertThat(failure.getMessage()).contains("BXNIM0415E");
      assertThat(apiRequests()).isZero();
    }
  }

  @Nested
  class HostileIam {

    @Test
    void recoversFromTokenWithLineBreak() throws Exception {
      iam.resetAll();
      stubIamTokens("FAKE-TOKEN\\r\\nX-Injected: 1", FakeSecrets.TOKEN_A);
      stubUnits(twoUnits());

      PollException failure = pollFailure();
      clock.advance(IamTokenProvider.MIN_RETRY_DELAY);
      List<CryptoUnit> units = source.listCryptoUnits(instance());

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("RFC 6750").doesNotContain("X-Injected");
      assertThat(units).hasSize(2);
      assertThat(apiRequests()).isEqualTo(1);
    }

    @Test
    void pollsWithTokenOfHugeLifetime() throws Exception {
      iam.resetAll();
      iam.stubFor(
          post(urlPathEqualTo(TOKEN_PATH))
              .willReturn(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, Long.MAX_VALUE))));
      stubUnits(twoUnits());

      source.listCryptoUnits(instance());
      clock.advance(Duration.ofHours(1));
      List<CryptoUnit> units = source.listCryptoUnits(instance());

      assertThat(units).hasSize(2);
      assertThat(iamRequests()).isEqualTo(1);
    }
  }

  @Nested
  class Statuses {

    @Test
    void classifiesRateLimit() {
      stubUnits(aResponse().withStatus(429).withHeader("Retry-After", "30").withBody("slow down"));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.RATE_LIMITED);
      assertThat(failure.getMessage()).contains("HTTP 429: slow down").contains("Retry-After: 30");
    }

    @Test
    void classifiesServerError() {
      stubUnits(
          aResponse().withStatus(500).withBody("{\"resources\": [{\"errorMsg\": \"boom\"}]}"));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.SERVER_ERROR);
      assertThat(failure.getMessage()).endsWith("returned HTTP 500: boom");
    }

    @Test
    void reportsPlainText503AsStatus() {
      stubUnits(
          aResponse()
              .withStatus(503)
              .withHeader("Content-Type", "text/plain")
              .withBody("no healthy upstream"));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.SERVER_ERROR);
      assertThat(failure.getMessage())
          .isEqualTo(
              "GET " + api.baseUrl() + UNITS_PATH + " returned HTTP 503: no healthy upstream");
      assertThat(listener.requests()).contains(INSTANCE + " list_crypto_units 503");
    }

    @Test
    void reportsHtmlErrorPageAsStatus() {
      stubUnits(
          aResponse()
              .withStatus(502)
              .withHeader("Content-Type", "text/html")
              .withBody("<html>\n<head><title>502 Bad Gateway</title></head>\n</html>"));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.SERVER_ERROR);
      assertThat(failure.getMessage())
          .contains("HTTP 502: <html> <head><title>502 Bad Gateway</title></head> </html>");
    }

    @Test
    void classifiesNotFound() {
      stubUnits(aResponse().withStatus(404).withBody("Not Found"));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.CLIENT_ERROR);
      assertThat(failure.getMessage()).contains("HTTP 404: Not Found");
    }

    @Test
    void doesNotFollowRedirect() {
      stubUnits(aResponse().withStatus(302).withHeader("Location", "http://127.0.0.1:1/elsewhere"));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.CLIENT_ERROR);
      assertThat(failure.getMessage())
          .contains("HTTP 302")
          .contains("redirects are not followed")
          .contains("http://127.0.0.1:1/elsewhere");
    }

    @ParameterizedTest
    @CsvSource({
      "http://127.0.0.1:1/elsewhere?token=abc#frag, http://127.0.0.1:1/elsewhere)",
      "http://user:secretpw@127.0.0.1:1/x?token=abc, http://127.0.0.1:1/x)",
      "/login?token=abc, /login)",
      "'', Location: (none))"
    })
    void showsRedirectLocationWithoutQuery(String location, String shown) {
      stubUnits(aResponse().withStatus(302).withHeader("Location", location));

      PollException failure = pollFailure();

      assertThat(failure.getMessage())
          .contains(shown)
          .doesNotContain("token=abc")
          .doesNotContain("secretpw")
          .doesNotContain("#frag");
    }

    @Test
    void rejectsHtmlSuccessAsBadResponse() {
      stubUnits(aResponse().withStatus(200).withBody("<html><body>Sign in</body></html>"));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("not JSON").contains("Sign in");
    }
  }

  @Nested
  class Transport {

    @Test
    void classifiesSlowResponseAsTimeout() {
      stubUnits(twoUnits().withFixedDelay(3000));
      KeyProtectApiSource impatient = newSource(Duration.ofMillis(300));

      try {
        PollException failure = pollFailure(impatient);

        assertThat(failure.reason()).isEqualTo(PollErrorReason.TIMEOUT);
        assertThat(failure.getMessage()).contains(UNITS_PATH).contains("timed out");
        assertThat(listener.requests())
            .containsExactly(INSTANCE + " iam_token 200", INSTANCE + " list_crypto_units none");
      } finally {
        impatient.close();
      }
    }

    @Test
    void classifiesRefusedConnectionAsNetwork() throws Exception {
      int closedPort;
      try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
        closedPort = socket.getLocalPort();
      }

      PollException failure =
          catchThrowableOfType(
              PollException.class,
              () -> source.listCryptoUnits(instance("http://127.0.0.1:" + closedPort)));

      assertThat(failure.reason()).isEqualTo(PollErrorReason.NETWORK);
      assertThat(failure.getMessage()).contains("127.0.0.1:" + closedPort);
      assertThat(listener.requests()).contains(INSTANCE + " list_crypto_units none");
    }

    @Test
    void rejectsOversizeBody() {
      byte[] body = new byte[CryptoUnitsParser.MAX_BODY_BYTES + 1];
      Arrays.fill(body, (byte) ' ');
      body[0] = '[';
      body[body.length - 1] = ']';
      stubUnits(aResponse().withStatus(200).withBody(body));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("larger than " + CryptoUnitsParser.MAX_BODY_BYTES);
    }

    @Test
    void rejectsOversizeChunkedBody() {
      byte[] body = new byte[CryptoUnitsParser.MAX_BODY_BYTES + 1];
      Arrays.fill(body, (byte) ' ');
      body[0] = '[';
      body[body.length - 1] = ']';
      stubUnits(aResponse().withStatus(200).withBody(body).withChunkedDribbleDelay(4, 1));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("larger than " + CryptoUnitsParser.MAX_BODY_BYTES);
    }

    @Test
    void rejectsEndpointThatIsNotHttp() {
      PollException failure =
          catchThrowableOfType(
              PollException.class, () -> source.listCryptoUnits(instance("ftp://127.0.0.1/kms")));

      assertThat(failure.reason()).isEqualTo(PollErrorReason.CLIENT_ERROR);
      assertThat(failure.getMessage()).contains("ftp://127.0.0.1/kms").contains("endpoint");
    }
  }

  @Test
  void createsFromConfig() throws Exception {
    stubUnits(twoUnits());
    PollSettings poll =
        new PollSettings(
            Duration.ofSeconds(30),
            Duration.ofSeconds(5),
            Duration.ofSeconds(90),
            Duration.ofMinutes(5),
            2);
    IamSettings iamSettings =
        new IamSettings(URI.create(iam.baseUrl() + TOKEN_PATH), "UNUSED", null);
    ExporterConfig config = new ExporterConfig(poll, iamSettings, List.of(instance()));

    try (KeyProtectApiSource created =
        KeyProtectApiSource.create(config, FakeSecrets.apiKey(), listener)) {
      assertThat(created.listCryptoUnits(instance())).hasSize(2);
    }
  }
}
