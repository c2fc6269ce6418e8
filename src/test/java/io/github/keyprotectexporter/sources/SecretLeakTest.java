package io.github.keyprotectexporter.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static com.github.tomakehurst.wiremock.stubbing.Scenario.STARTED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Drives every failure path with servers that echo the API key and token back. */
class SecretLeakTest {

  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String UNITS_PATH = "/api/v1/cryptounits";
  private static final String TOKEN_PATH = "/identity/token";

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
  private CapturedLogs logs;
  private KeyProtectApiSource source;

  @BeforeEach
  void setUp() {
    logs = new CapturedLogs();
    OkHttpClient http = HttpCalls.newClient(Duration.ofSeconds(10));
    IamTokenProvider tokens =
        new IamTokenProvider(
            http,
            URI.create(iam.baseUrl() + TOKEN_PATH),
            FakeSecrets.apiKey(),
            clock,
            ApiRequestListener.NONE);
    source = new KeyProtectApiSource(http, tokens, ApiRequestListener.NONE, new UnknownStateLog());
  }

  @AfterEach
  void tearDown() {
    source.close();
    logs.close();
  }

  private PollException poll() {
    InstanceConfig instance =
        new InstanceConfig(INSTANCE, "", "us-south", false, URI.create(api.baseUrl()));
    PollException failure =
        catchThrowableOfType(PollException.class, () -> source.listCryptoUnits(instance));
    assertThat(failure).as("poll failure").isNotNull();
    return failure;
  }

  private void assertNoSecretAnywhere(PollException failure) {
    assertThat(logs.events()).as("captured log events").isNotEmpty();
    FakeSecrets.assertNoSecretIn(failure);
    FakeSecrets.assertNoSecretIn(logs.allText());
  }

  private static void stubIam(ResponseDefinitionBuilder response) {
    iam.stubFor(post(urlPathEqualTo(TOKEN_PATH)).willReturn(response));
  }

  private static ResponseDefinitionBuilder tokenA() {
    return okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600));
  }

  /** Returns a body that repeats credentials back, as a careless server might. */
  private static String echo() {
    return "invalid credentials: apikey="
        + FakeSecrets.API_KEY
        + " Authorization: Bearer "
        + FakeSecrets.TOKEN_A
        + " Authorization: Bearer "
        + FakeSecrets.TOKEN_B;
  }

  @Test
  void iamJsonErrorEchoingKey() {
    stubIam(
        aResponse()
            .withStatus(400)
            .withBody(
                """
                {
                  "errorCode": "BXNIM0415E",
                  "errorMessage": "Provided API key %s could not be found.",
                  "context": {"requestId": "%s"}
                }
                """
                    .formatted(FakeSecrets.API_KEY, FakeSecrets.API_KEY)));

    PollException failure = poll();

    assertThat(failure.reason()).isEqualTo(PollErrorReason.AUTH);
    assertThat(failure.getMessage()).contains("BXNIM0415E").contains("****");
    assertNoSecretAnywhere(failure);
  }

  @ParameterizedTest
  @ValueSource(strings = {"prefix", "suffix", "middle", "lower case", "upper case"})
  void iamErrorEchoingPartOfKey(String part) {
    String key = FakeSecrets.API_KEY;
    String echoed =
        switch (part) {
          case "prefix" -> key.substring(0, 24);
          case "suffix" -> key.substring(12);
          case "middle" -> key.substring(12, 22);
          case "lower case" -> key.toLowerCase(Locale.ROOT);
          default -> key.toUpperCase(Locale.ROOT);
        };
    stubIam(
        aResponse()
            .withStatus(400)
            .withBody(
                """
                {"errorCode": "BXNIM0415E", "errorMessage": "API key %s... could not be found."}
                """
                    .formatted(echoed)));

    PollException failure = poll();

    assertThat(failure.getMessage()).contains("BXNIM0415E").contains("API key ****...");
    assertThat(failure.getMessage().toLowerCase(Locale.ROOT))
        .doesNotContain(echoed.toLowerCase(Locale.ROOT));
    assertThat(logs.allText().toLowerCase(Locale.ROOT))
        .doesNotContain(echoed.toLowerCase(Locale.ROOT));
  }

  @Test
  void iamErrorEchoingKeyAtExcerptEnd() {
    String padding = "x".repeat(Excerpt.MAX_CHARS - 10);
    stubIam(aResponse().withStatus(500).withBody(padding + " " + FakeSecrets.API_KEY));

    PollException failure = poll();

    assertThat(failure.reason()).isEqualTo(PollErrorReason.SERVER_ERROR);
    assertNoSecretAnywhere(failure);
  }

  @Test
  void iamSuccessThatIsInvalidJson() {
    stubIam(okJson("{\"access_token\": " + FakeSecrets.TOKEN_A + " " + FakeSecrets.API_KEY));

    PollException failure = poll();

    assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
    assertNoSecretAnywhere(failure);
  }

  @Test
  void iamRefreshFailureEchoingKey() throws Exception {
    iam.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .inScenario("iam")
            .whenScenarioStateIs(STARTED)
            .willReturn(tokenA())
            .willSetStateTo("issued"));
    iam.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .inScenario("iam")
            .whenScenarioStateIs("issued")
            .willReturn(aResponse().withStatus(400).withBody(echo())));
    api.stubFor(
        get(urlPathEqualTo(UNITS_PATH)).willReturn(aResponse().withStatus(500).withBody(echo())));
    poll();
    clock.advance(Duration.ofMinutes(50));

    PollException failure = poll();

    assertThat(failure.reason()).isEqualTo(PollErrorReason.SERVER_ERROR);
    assertThat(logs.allText()).contains("keeping the current token");
    assertNoSecretAnywhere(failure);
  }

  @Test
  void apiUnauthorizedEchoingToken() {
    iam.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .inScenario("iam")
            .whenScenarioStateIs(STARTED)
            .willReturn(tokenA())
            .willSetStateTo("issued"));
    iam.stubFor(
        post(urlPathEqualTo(TOKEN_PATH))
            .inScenario("iam")
            .whenScenarioStateIs("issued")
            .willReturn(okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_B, 3600))));
    api.stubFor(
        get(urlPathEqualTo(UNITS_PATH))
            .willReturn(
                aResponse()
                    .withStatus(401)
                    .withBody(
                        """
                        {"resources": [{"errorMsg": "token %s rejected", "reasons": [
                          {"code": "UNAUTHORIZED_ERR", "message": "%s"}]}]}
                        """
                            .formatted(FakeSecrets.TOKEN_B, echo()))));

    PollException failure = poll();

    assertThat(failure.reason()).isEqualTo(PollErrorReason.AUTH);
    assertNoSecretAnywhere(failure);
  }

  @Test
  void apiServerErrorEchoingCredentials() {
    stubIam(tokenA());
    api.stubFor(
        get(urlPathEqualTo(UNITS_PATH))
            .willReturn(aResponse().withStatus(500).withBody("<html>" + echo() + "</html>")));

    PollException failure = poll();

    assertThat(failure.reason()).isEqualTo(PollErrorReason.SERVER_ERROR);
    assertNoSecretAnywhere(failure);
  }

  @Test
  void apiSuccessThatIsNotJson() {
    stubIam(tokenA());
    api.stubFor(
        get(urlPathEqualTo(UNITS_PATH)).willReturn(aResponse().withStatus(200).withBody(echo())));

    PollException failure = poll();

    assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
    assertNoSecretAnywhere(failure);
  }
}
