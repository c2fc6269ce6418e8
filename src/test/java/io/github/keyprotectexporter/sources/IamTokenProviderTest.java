package io.github.keyprotectexporter.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class IamTokenProviderTest {

  private static final String TOKEN_PATH = "/identity/token";
  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final Duration LIFETIME = Duration.ofSeconds(3600);

  @RegisterExtension
  static WireMockExtension iam =
      WireMockExtension.newInstance()
          .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
          .build();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final RecordingListener listener = new RecordingListener();
  private final List<OkHttpClient> clients = new ArrayList<>();

  @AfterEach
  void shutDownClients() {
    clients.forEach(HttpCalls::shutDown);
  }

  private IamTokenProvider provider() {
    return provider(Duration.ofSeconds(10));
  }

  private IamTokenProvider provider(Duration timeout) {
    OkHttpClient http = HttpCalls.newClient(timeout);
    clients.add(http);
    URI url = URI.create(iam.baseUrl() + TOKEN_PATH);
    // A jitter of zero makes each backoff its lower bound, MIN_RETRY_DELAY times 2^(n-1).
    return new IamTokenProvider(http, url, FakeSecrets.apiKey(), clock, listener, () -> 0L);
  }

  private static void stubIam(ResponseDefinitionBuilder response) {
    iam.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(response));
  }

  /** Stubs IAM to issue token A, then answer with {@code second} from the second request on. */
  private static void stubIamThen(ResponseDefinitionBuilder second) {
    iam.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .inScenario("iam")
            .whenScenarioStateIs(STARTED)
            .willReturn(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600)))
            .willSetStateTo("token A issued"));
    iam.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .inScenario("iam")
            .whenScenarioStateIs("token A issued")
            .willReturn(second));
  }

  private static ResponseDefinitionBuilder tokenB() {
    return okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_B, 3600));
  }

  private static int iamRequests() {
    return iam.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))).size();
  }

  private PollException tokenFailure(IamTokenProvider provider) {
    return catchThrowableOfType(PollException.class, () -> provider.token(INSTANCE));
  }

  @Test
  void sendsApiKeyAsFormGrant() throws Exception {
    stubIam(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600)));

    Secret token = provider().token(INSTANCE);

    assertThat(token.reveal()).isEqualTo(FakeSecrets.TOKEN_A);
    iam.verify(
        postRequestedFor(urlPathEqualTo(TOKEN_PATH))
            .withHeader("Accept", equalTo("application/json"))
            .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
            .withFormParam("grant_type", equalTo("urn:ibm:params:oauth:grant-type:apikey"))
            .withFormParam("apikey", equalTo(FakeSecrets.API_KEY)));
  }

  @Test
  void reportsEachRequestToListener() throws Exception {
    stubIam(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600)));
    IamTokenProvider provider = provider();

    provider.token(INSTANCE);
    provider.token("second-instance");

    assertThat(listener.requests()).containsExactly(INSTANCE + " iam_token 200");
  }

  @Nested
  class Refresh {

    @Test
    void cachesTokenBeforeEightyPercent() throws Exception {
      stubIamThen(tokenB());
      IamTokenProvider provider = provider();

      provider.token(INSTANCE);
      clock.advance(LIFETIME.multipliedBy(79).dividedBy(100));
      Secret token = provider.token(INSTANCE);

      assertThat(token.reveal()).isEqualTo(FakeSecrets.TOKEN_A);
      assertThat(iamRequests()).isEqualTo(1);
    }

    @Test
    void refreshesAtEightyPercent() throws Exception {
      stubIamThen(tokenB());
      IamTokenProvider provider = provider();

      provider.token(INSTANCE);
      clock.advance(LIFETIME.multipliedBy(80).dividedBy(100));
      Secret token = provider.token(INSTANCE);

      assertThat(token.reveal()).isEqualTo(FakeSecrets.TOKEN_B);
      assertThat(iamRequests()).isEqualTo(2);
    }

    @Test
    void usesExpirationWhenExpiresInMissing() throws Exception {
      long expiration = clock.instant().plusSeconds(1000).getEpochSecond();
      stubIam(
          okJson(
              "{\"access_token\": \"%s\", \"expiration\": %d}"
                  .formatted(FakeSecrets.TOKEN_A, expiration)));
      IamTokenProvider provider = provider();

      provider.token(INSTANCE);
      clock.advance(Duration.ofSeconds(799));
      provider.token(INSTANCE);
      assertThat(iamRequests()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(1));
      provider.token(INSTANCE);

      assertThat(iamRequests()).isEqualTo(2);
    }

    @Test
    void keepsValidTokenWhenRefreshFails() throws Exception {
      stubIamThen(aResponse().withStatus(500).withBody("internal error"));
      IamTokenProvider provider = provider();
      provider.token(INSTANCE);
      clock.advance(LIFETIME.multipliedBy(81).dividedBy(100));

      try (CapturedLogs logs = new CapturedLogs()) {
        Secret token = provider.token(INSTANCE);

        assertThat(token.reveal()).isEqualTo(FakeSecrets.TOKEN_A);
        assertThat(iamRequests()).isEqualTo(2);
        assertThat(logs.messages(Level.WARN))
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains(INSTANCE)
            .contains("keeping the current token")
            .contains("HTTP 500");
      }
    }

    @Test
    void backsOffAfterFailedRefresh() throws Exception {
      stubIamThen(aResponse().withStatus(503).withBody("no healthy upstream"));
      IamTokenProvider provider = provider();
      provider.token(INSTANCE);
      clock.advance(LIFETIME.multipliedBy(81).dividedBy(100));
      provider.token(INSTANCE);
      Duration retryDelay = IamTokenProvider.MIN_RETRY_DELAY;

      clock.advance(retryDelay.minusSeconds(1));
      provider.token(INSTANCE);
      provider.token(INSTANCE);
      assertThat(iamRequests()).isEqualTo(2);
      clock.advance(Duration.ofSeconds(1));
      Secret token = provider.token(INSTANCE);

      assertThat(iamRequests()).isEqualTo(3);
      assertThat(token.reveal()).isEqualTo(FakeSecrets.TOKEN_A);
    }

    @Test
    void failsOnceTokenExpiredAndRefreshFails() throws Exception {
      stubIamThen(aResponse().withStatus(503).withBody("no healthy upstream"));
      IamTokenProvider provider = provider();
      provider.token(INSTANCE);
      clock.advance(LIFETIME);

      PollException failure = tokenFailure(provider);

      assertThat(failure.reason()).isEqualTo(PollErrorReason.SERVER_ERROR);
      assertThat(failure.getMessage()).contains("HTTP 503").contains("no healthy upstream");
    }

    @Test
    void requestsOnceForConcurrentCallers() throws Exception {
      stubIam(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600)).withFixedDelay(300));
      IamTokenProvider provider = provider();
      ExecutorService pool = Executors.newFixedThreadPool(8);
      try {
        List<Future<Secret>> tokens = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          tokens.add(pool.submit(() -> provider.token(INSTANCE)));
        }
        for (Future<Secret> token : tokens) {
          assertThat(token.get().reveal()).isEqualTo(FakeSecrets.TOKEN_A);
        }
      } finally {
        pool.shutdownNow();
      }

      assertThat(iamRequests()).isEqualTo(1);
    }
  }

  @Nested
  class HostileResponses {

    @ParameterizedTest
    @ValueSource(longs = {30_000_000_000_000_000L, Long.MAX_VALUE})
    void capsHugeExpiresIn(long expiresIn) throws Exception {
      stubIamThen(tokenB());
      stubIamFirst(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, expiresIn));
      IamTokenProvider provider = provider();

      Secret first = provider.token(INSTANCE);
      Secret again = provider.token(INSTANCE);
      clock.advance(IamTokenClient.MAX_LIFETIME.multipliedBy(4).dividedBy(5));
      Secret refreshed = provider.token(INSTANCE);

      assertThat(first.reveal()).isEqualTo(FakeSecrets.TOKEN_A);
      assertThat(again).isSameAs(first);
      assertThat(refreshed.reveal()).isEqualTo(FakeSecrets.TOKEN_B);
      assertThat(iamRequests()).isEqualTo(2);
    }

    @Test
    void capsExpirationAtLongMax() throws Exception {
      stubIamThen(tokenB());
      stubIamFirst(
          "{\"access_token\": \"%s\", \"expiration\": %d}"
              .formatted(FakeSecrets.TOKEN_A, Long.MAX_VALUE));
      IamTokenProvider provider = provider();

      Secret first = provider.token(INSTANCE);
      clock.advance(IamTokenClient.MAX_LIFETIME.multipliedBy(4).dividedBy(5).minusSeconds(1));
      Secret beforeRefresh = provider.token(INSTANCE);
      clock.advance(Duration.ofSeconds(1));
      Secret refreshed = provider.token(INSTANCE);

      assertThat(beforeRefresh).isSameAs(first);
      assertThat(refreshed.reveal()).isEqualTo(FakeSecrets.TOKEN_B);
    }

    @Test
    void logsCappedLifetime() throws Exception {
      stubIam(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, Long.MAX_VALUE)));

      try (CapturedLogs logs = new CapturedLogs()) {
        provider().token(INSTANCE);

        assertThat(logs.messages(Level.WARN))
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains("instance_id=" + INSTANCE)
            .contains("lifetime of " + Long.MAX_VALUE + " s")
            .contains("maximum of 86400 s");
      }
    }

    @Test
    void rejectsExpirationUnderOneSecondAway() {
      clock.advance(Duration.ofMillis(500));
      long expiration = clock.instant().getEpochSecond() + 1;
      stubIam(
          okJson(
              "{\"access_token\": \"%s\", \"expiration\": %d}"
                  .formatted(FakeSecrets.TOKEN_A, expiration)));

      PollException failure = tokenFailure(provider());

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("expires in less than 1 s");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "FAKE-TOKEN\r\nX-Injected: 1",
          "FAKE TOKEN",
          "FAKE-TOKEN\u0000",
          "FAKE-TOKEN-\u00e9",
          "FAKE-TOKEN=x",
          "FAKE\"TOKEN"
        })
    void rejectsTokenWithInvalidCharacters(String token) {
      String json = "{\"access_token\": %s, \"expires_in\": 3600}".formatted(jsonString(token));
      stubIam(okJson(json));

      PollException failure = tokenFailure(provider());

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("RFC 6750").doesNotContain("FAKE");
    }

    @Test
    void acceptsJsonWebToken() throws Exception {
      String jwt = "eyJhbGciOiJSUzI1NiJ9.eyJpYW1faWQiOiJ4In0.c2lnbmF0dXJl-_+/==";
      stubIam(okJson(FakeSecrets.tokenResponse(jwt, 3600)));

      assertThat(provider().token(INSTANCE).reveal()).isEqualTo(jwt);
    }

    @Test
    void recoversAfterRetryDelayOnceIamIsFixed() throws Exception {
      iam.stubFor(
          post(urlPathEqualTo(TOKEN_PATH))
              .inScenario("iam")
              .whenScenarioStateIs(STARTED)
              .willReturn(okJson(FakeSecrets.tokenResponse("bad\\r\\ntoken", 3600)))
              .willSetStateTo("fixed"));
      iam.stubFor(
          post(urlPathEqualTo(TOKEN_PATH))
              .inScenario("iam")
              .whenScenarioStateIs("fixed")
              .willReturn(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600))));
      IamTokenProvider provider = provider();

      PollException first = tokenFailure(provider);
      PollException repeated = tokenFailure(provider);
      clock.advance(IamTokenProvider.MIN_RETRY_DELAY);
      Secret token = provider.token(INSTANCE);

      assertThat(first.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(first.getMessage()).contains("RFC 6750");
      assertThat(repeated.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(token.reveal()).isEqualTo(FakeSecrets.TOKEN_A);
      assertThat(iamRequests()).isEqualTo(2);
    }

    private void stubIamFirst(String body) {
      iam.stubFor(
          post(urlPathEqualTo(TOKEN_PATH))
              .inScenario("iam")
              .whenScenarioStateIs(STARTED)
              .willReturn(okJson(body))
              .willSetStateTo("token A issued"));
    }

    private String jsonString(String text) {
      StringBuilder json = new StringBuilder("\"");
      for (char c : text.toCharArray()) {
        json.append(c < 0x20 || c == '"' ? "\\u%04x".formatted((int) c) : String.valueOf(c));
      }
      return json.append('"').toString();
    }
  }

  @Nested
  class Invalidate {

    @Test
    void forcesOneRefresh() throws Exception {
      stubIamThen(tokenB());
      IamTokenProvider provider = provider();
      Secret tokenA = provider.token(INSTANCE);

      provider.invalidate(tokenA);
      Secret tokenB = provider.token(INSTANCE);
      provider.invalidate(tokenA);
      Secret again = provider.token(INSTANCE);

      assertThat(tokenB.reveal()).isEqualTo(FakeSecrets.TOKEN_B);
      assertThat(again).isSameAs(tokenB);
      assertThat(iamRequests()).isEqualTo(2);
    }

    @Test
    void keepsRejectedReplacementUntilRetryDelay() throws Exception {
      stubIamThen(tokenB());
      IamTokenProvider provider = provider();
      Secret tokenA = provider.token(INSTANCE);
      boolean retryA = provider.invalidate(tokenA);
      Secret tokenB = provider.token(INSTANCE);

      clock.advance(LIFETIME.dividedBy(20).minusSeconds(1));
      boolean retryB = provider.invalidate(tokenB);
      Secret kept = provider.token(INSTANCE);
      clock.advance(Duration.ofSeconds(1));
      boolean retryLater = provider.invalidate(tokenB);
      Secret replaced = provider.token(INSTANCE);

      assertThat(retryA).isTrue();
      assertThat(retryB).isFalse();
      assertThat(kept).isSameAs(tokenB);
      assertThat(retryLater).isTrue();
      assertThat(replaced).isNotSameAs(tokenB);
      assertThat(iamRequests()).isEqualTo(3);
    }

    @Test
    void ignoresEqualTokenFromElsewhere() throws Exception {
      stubIamThen(tokenB());
      IamTokenProvider provider = provider();
      provider.token(INSTANCE);

      provider.invalidate(new Secret(FakeSecrets.TOKEN_B));
      provider.token(INSTANCE);

      assertThat(iamRequests()).isEqualTo(1);
    }
  }

  @Nested
  class Failures {

    @ParameterizedTest
    @CsvSource({
      "400, AUTH",
      "401, AUTH",
      "403, AUTH",
      "429, RATE_LIMITED",
      "500, SERVER_ERROR",
      "503, SERVER_ERROR",
      "404, CLIENT_ERROR",
      "302, CLIENT_ERROR"
    })
    void classifiesStatus(int status, PollErrorReason reason) {
      stubIam(aResponse().withStatus(status).withBody("rejected"));

      PollException failure = tokenFailure(provider());

      assertThat(failure.reason()).isEqualTo(reason);
      assertThat(failure.getMessage()).contains("HTTP " + status);
      assertThat(listener.requests()).containsExactly(INSTANCE + " iam_token " + status);
    }

    @Test
    void describesIamErrorBody() throws Exception {
      stubIam(
          aResponse()
              .withStatus(400)
              .withHeader("Content-Type", "application/json")
              .withBody(CryptoUnitsParserTest.fixture("iam-error-invalid-key.json")));

      PollException failure = tokenFailure(provider());

      assertThat(failure.reason()).isEqualTo(PollErrorReason.AUTH);
      assertThat(failure.getMessage())
          .contains("HTTP 400 BXNIM0415E: Provided API key could not be found.")
          .contains("c4a1f0e2-iam-request")
          .contains("check that the API key is valid");
    }

    @Test
    void repeatsFailureWithinRetryDelay() throws Exception {
      stubIam(aResponse().withStatus(400).withBody("{\"errorCode\": \"BXNIM0415E\"}"));
      IamTokenProvider provider = provider();
      PollException first = tokenFailure(provider);

      clock.advance(IamTokenProvider.MIN_RETRY_DELAY.minusSeconds(1));
      PollException repeated = tokenFailure(provider);
      assertThat(iamRequests()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(1));
      tokenFailure(provider);

      assertThat(repeated.reason()).isEqualTo(PollErrorReason.AUTH);
      assertThat(repeated.getMessage()).contains("HTTP 400").isEqualTo(first.getMessage());
      assertThat(iamRequests()).isEqualTo(2);
    }

    @Test
    void rejectsResponseWithoutToken() {
      stubIam(okJson("{\"token_type\": \"Bearer\", \"expires_in\": 3600}"));

      PollException failure = tokenFailure(provider());

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("has no access_token");
    }

    @Test
    void rejectsResponseWithoutLifetime() {
      stubIam(okJson("{\"access_token\": \"%s\"}".formatted(FakeSecrets.TOKEN_A)));

      PollException failure = tokenFailure(provider());

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("expires_in");
    }

    @Test
    void rejectsInvalidJsonWithoutQuotingIt() {
      stubIam(okJson("{\"access_token\": " + FakeSecrets.TOKEN_A));

      PollException failure = tokenFailure(provider());

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("not valid JSON");
      FakeSecrets.assertNoSecretIn(failure);
    }

    @Test
    void classifiesTimeout() {
      stubIam(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600)).withFixedDelay(3000));

      PollException failure = tokenFailure(provider(Duration.ofMillis(300)));

      assertThat(failure.reason()).isEqualTo(PollErrorReason.TIMEOUT);
      assertThat(failure.getMessage()).contains("timed out");
      assertThat(listener.requests()).containsExactly(INSTANCE + " iam_token none");
    }

    @Test
    void classifiesConnectionRefused() throws Exception {
      int closedPort;
      try (ServerSocket socket =
          new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
        closedPort = socket.getLocalPort();
      }
      OkHttpClient http = HttpCalls.newClient(Duration.ofSeconds(10));
      clients.add(http);
      URI url = URI.create("http://127.0.0.1:" + closedPort + TOKEN_PATH);
      IamTokenProvider provider =
          new IamTokenProvider(http, url, FakeSecrets.apiKey(), clock, listener);

      PollException failure = tokenFailure(provider);

      assertThat(failure.reason()).isEqualTo(PollErrorReason.NETWORK);
      assertThat(failure.getMessage()).contains("127.0.0.1:" + closedPort);
      assertThat(listener.requests()).containsExactly(INSTANCE + " iam_token none");
    }

    @Test
    void rejectsNonHttpUrl() {
      OkHttpClient http = HttpCalls.newClient(Duration.ofSeconds(10));
      clients.add(http);

      Throwable thrown =
          catchThrowableOfType(
              IllegalArgumentException.class,
              () ->
                  new IamTokenProvider(
                      http,
                      URI.create("ftp://iam.example/token"),
                      FakeSecrets.apiKey(),
                      clock,
                      listener));

      assertThat(thrown)
          .hasMessageContaining("ftp://iam.example/token")
          .hasMessageContaining("iam.url");
    }
  }
}
