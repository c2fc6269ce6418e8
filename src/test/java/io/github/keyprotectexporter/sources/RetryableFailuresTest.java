package io.github.keyprotectexporter.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.head;
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
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.ProbeSettings;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which failures the API source, the key probe and IAM mark for retry, and their waits. */
class RetryableFailuresTest {

  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String TOKEN_PATH = "/identity/token";
  private static final String UNITS_PATH = "/api/v1/cryptounits";
  private static final String KEYS_PATH = "/api/v2/keys";

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance()
          .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
          .build();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final List<OkHttpClient> clients = new ArrayList<>();

  @AfterEach
  void shutDownClients() {
    clients.forEach(HttpCalls::shutDown);
  }

  private IamTokenProvider tokens() {
    OkHttpClient http = HttpCalls.newClient(Duration.ofSeconds(10));
    clients.add(http);
    // A jitter of zero makes each IAM backoff its lower bound.
    return new IamTokenProvider(http, URI.create(server.baseUrl() + TOKEN_PATH),
        FakeSecrets.apiKey(), clock, ApiRequestListener.NONE, () -> 0L);
  }

  private static void issueToken() {
    server.stubFor(post(urlPathEqualTo(TOKEN_PATH))
        .willReturn(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600))));
  }

  private static ResponseDefinitionBuilder status(int code) {
    return aResponse().withStatus(code).withBody("error " + code);
  }

  private static int iamRequests() {
    return server.findAll(postRequestedFor(urlPathEqualTo(TOKEN_PATH))).size();
  }

  @Nested
  class ApiSource {

    private PollException pollFailure() {
      issueToken();
      IamTokenProvider tokens = tokens();
      KeyProtectApiSource source = new KeyProtectApiSource(clients.get(0), tokens,
          ApiRequestListener.NONE, new UnknownStateLog());
      InstanceConfig instance = new InstanceConfig(INSTANCE, "test", "us-south", false,
          URI.create(server.baseUrl()));
      return catchThrowableOfType(PollException.class,
          () -> source.listCryptoUnits(instance));
    }

    @Test
    void rateLimitCarriesRetryAfter() {
      server.stubFor(get(urlPathEqualTo(UNITS_PATH))
          .willReturn(status(429).withHeader("Retry-After", "7")));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.RATE_LIMITED);
      assertThat(failure.retryable()).isTrue();
      assertThat(failure.retryAfter()).contains(Duration.ofSeconds(7));
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504})
    void serverErrorsAreRetryable(int code) {
      server.stubFor(get(urlPathEqualTo(UNITS_PATH)).willReturn(status(code)));

      PollException failure = pollFailure();

      assertThat(failure.reason()).isEqualTo(PollErrorReason.SERVER_ERROR);
      assertThat(failure.retryable()).isTrue();
      assertThat(failure.retryAfter()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 501})
    void otherStatusesAreNotRetryable(int code) {
      server.stubFor(get(urlPathEqualTo(UNITS_PATH)).willReturn(status(code)));

      assertThat(pollFailure().retryable()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 500})
    void retryAfterCountsOnlyOn429And503(int code) {
      server.stubFor(get(urlPathEqualTo(UNITS_PATH))
          .willReturn(status(code).withHeader("Retry-After", "600")));

      assertThat(pollFailure().retryAfter()).isEmpty();
    }

    @Test
    void unavailableCarriesRetryAfter() {
      server.stubFor(get(urlPathEqualTo(UNITS_PATH))
          .willReturn(status(503).withHeader("Retry-After", "9")));

      assertThat(pollFailure().retryAfter()).contains(Duration.ofSeconds(9));
    }

    @Test
    void iamFailureIsNotRetryableByThePoll() {
      server.stubFor(post(urlPathEqualTo(TOKEN_PATH))
          .willReturn(status(429).withHeader("Retry-After", "120")));
      IamTokenProvider tokens = tokens();
      KeyProtectApiSource source = new KeyProtectApiSource(clients.get(0), tokens,
          ApiRequestListener.NONE, new UnknownStateLog());
      InstanceConfig instance = new InstanceConfig(INSTANCE, "test", "us-south", false,
          URI.create(server.baseUrl()));

      PollException failure =
          catchThrowableOfType(PollException.class, () -> source.listCryptoUnits(instance));

      assertThat(failure.reason()).isEqualTo(PollErrorReason.RATE_LIMITED);
      assertThat(failure.retryable()).isFalse();
      assertThat(failure.retryAfter()).isEmpty();
    }
  }

  @Nested
  class Probe {

    @Test
    void rateLimitCarriesRetryAfter() {
      issueToken();
      server.stubFor(head(urlPathEqualTo(KEYS_PATH))
          .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "45")));
      OkHttpClient http = HttpCalls.newClient(Duration.ofSeconds(10));
      clients.add(http);
      KeyApiProbe probe = new KeyApiProbe(http, tokens(), ApiRequestListener.NONE);
      ProbeSettings settings =
          new ProbeSettings(true, Duration.ofMinutes(1), URI.create(server.baseUrl()));
      InstanceConfig instance = new InstanceConfig(INSTANCE, "test", "us-south", false,
          URI.create(server.baseUrl()), settings);

      ProbeException failure =
          catchThrowableOfType(ProbeException.class, () -> probe.probe(instance));

      assertThat(failure.reason()).isEqualTo(ProbeFailureReason.RATE_LIMITED);
      assertThat(failure.retryAfter()).contains(Duration.ofSeconds(45));
    }
  }

  @Nested
  class Iam {

    private PollException tokenFailure(IamTokenProvider provider) {
      return catchThrowableOfType(PollException.class, () -> provider.token(INSTANCE));
    }

    @Test
    void backoffDoublesWhileIamFails() {
      server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(status(503)));
      IamTokenProvider provider = tokens();

      tokenFailure(provider);
      clock.advance(Duration.ofSeconds(10));
      tokenFailure(provider);
      assertThat(iamRequests()).isEqualTo(2);
      clock.advance(Duration.ofSeconds(19));
      tokenFailure(provider);
      assertThat(iamRequests()).isEqualTo(2);
      clock.advance(Duration.ofSeconds(1));
      tokenFailure(provider);
      assertThat(iamRequests()).isEqualTo(3);
      clock.advance(Duration.ofSeconds(39));
      tokenFailure(provider);

      assertThat(iamRequests()).isEqualTo(3);
    }

    @Test
    void backoffIsCapped() {
      server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(status(500)));
      IamTokenProvider provider = tokens();

      for (int failure = 1; failure <= 10; failure++) {
        tokenFailure(provider);
        clock.advance(IamTokenProvider.MAX_RETRY_DELAY);
      }

      assertThat(iamRequests()).isEqualTo(10);
    }

    @Test
    void waitsForRetryAfter() {
      server.stubFor(post(urlPathEqualTo(TOKEN_PATH))
          .willReturn(status(429).withHeader("Retry-After", "120")));
      IamTokenProvider provider = tokens();

      PollException first = tokenFailure(provider);
      clock.advance(Duration.ofSeconds(119));
      PollException repeated = tokenFailure(provider);
      assertThat(iamRequests()).isEqualTo(1);
      clock.advance(Duration.ofSeconds(1));
      tokenFailure(provider);

      assertThat(iamRequests()).isEqualTo(2);
      assertThat(first.reason()).isEqualTo(PollErrorReason.RATE_LIMITED);
      assertThat(repeated.getMessage()).isEqualTo(first.getMessage());
    }

    @Test
    void keepsValidTokenWhileRefreshIsRateLimited() throws Exception {
      server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("iam")
          .whenScenarioStateIs(STARTED)
          .willReturn(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600)))
          .willSetStateTo("limited"));
      server.stubFor(post(urlPathEqualTo(TOKEN_PATH)).inScenario("iam")
          .whenScenarioStateIs("limited")
          .willReturn(status(429).withHeader("Retry-After", "300")));
      IamTokenProvider provider = tokens();
      provider.token(INSTANCE);
      clock.advance(Duration.ofSeconds(2900));

      Secret during = provider.token(INSTANCE);
      clock.advance(Duration.ofSeconds(299));
      provider.token(INSTANCE);
      assertThat(iamRequests()).isEqualTo(2);
      clock.advance(Duration.ofSeconds(1));
      Secret after = provider.token(INSTANCE);

      assertThat(iamRequests()).isEqualTo(3);
      assertThat(during.reveal()).isEqualTo(FakeSecrets.TOKEN_A);
      assertThat(after.reveal()).isEqualTo(FakeSecrets.TOKEN_A);
    }
  }
}
