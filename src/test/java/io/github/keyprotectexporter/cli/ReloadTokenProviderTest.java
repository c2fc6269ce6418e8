package io.github.keyprotectexporter.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.github.keyprotectexporter.http.ListenAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A reload that changes the IAM settings or the API key rebuilds the IAM token provider. */
class ReloadTokenProviderTest {

  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final Duration BOUND = Duration.ofSeconds(30);

  private final WireMockServer firstIam =
      new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
  private final WireMockServer secondIam =
      new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
  private final WireMockServer api =
      new WireMockServer(wireMockConfig().bindAddress("127.0.0.1").dynamicPort());
  @TempDir Path directory;
  private Path configFile;
  private Path keyFile;
  private Agent agent;

  @BeforeEach
  void startServers() throws IOException {
    for (WireMockServer iam : new WireMockServer[] {firstIam, secondIam}) {
      iam.start();
      iam.stubFor(post("/identity/token").willReturn(okJson(
          "{\"access_token\": \"token-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}")));
    }
    api.start();
    api.stubFor(get("/api/v1/cryptounits").willReturn(okJson("""
        [{"id": "u1", "instanceId": "%s", "state": "kms-initialized"}]""".formatted(INSTANCE))));
    configFile = directory.resolve("keyprotect-exporter.yml");
    keyFile = directory.resolve("api-key");
  }

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
    firstIam.stop();
    secondIam.stop();
    api.stop();
  }

  private void writeConfig(WireMockServer iam) throws IOException {
    Files.writeString(configFile, """
        poll: {interval: 1h, stale_after: 2h}
        iam: {url: "%s/identity/token", api_key_file: %s}
        instances:
          - {id: %s, region: us-south, endpoint: "%s"}
        """.formatted(iam.baseUrl(), keyFile, INSTANCE, api.baseUrl()));
  }

  private static void awaitTokenRequest(WireMockServer iam, String apiKey) {
    await().atMost(BOUND).untilAsserted(() -> iam.verify(
        postRequestedFor(urlEqualTo("/identity/token")).withRequestBody(
            containing("apikey=" + apiKey))));
  }

  @Test
  void changedIamUrlUsesNewEndpoint() throws Exception {
    Files.writeString(keyFile, "first-test-api-key");
    writeConfig(firstIam);
    agent = Agent.start(LoadedConfig.read(configFile), () -> LoadedConfig.read(configFile),
        ListenAddress.parse("127.0.0.1:0"), Clock.systemUTC());
    awaitTokenRequest(firstIam, "first-test-api-key");

    writeConfig(secondIam);
    assertThat(agent.reload("test").successful()).isTrue();

    awaitTokenRequest(secondIam, "first-test-api-key");
  }

  @Test
  void changedKeyFileContentSendsNewKey() throws Exception {
    Files.writeString(keyFile, "first-test-api-key");
    writeConfig(firstIam);
    agent = Agent.start(LoadedConfig.read(configFile), () -> LoadedConfig.read(configFile),
        ListenAddress.parse("127.0.0.1:0"), Clock.systemUTC());
    awaitTokenRequest(firstIam, "first-test-api-key");

    Files.writeString(keyFile, "second-test-api-key");
    assertThat(agent.reload("test").successful()).isTrue();

    awaitTokenRequest(firstIam, "second-test-api-key");
  }
}
