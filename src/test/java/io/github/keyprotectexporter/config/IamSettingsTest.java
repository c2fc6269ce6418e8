package io.github.keyprotectexporter.config;

import static io.github.keyprotectexporter.config.Configs.onlyErrorOf;
import static io.github.keyprotectexporter.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks of the iam section, each through the whole loader. */
class IamSettingsTest {

  private static final String FAKE_KEY = "Zq9LmXc4TvB7nR2sK8wYd3HfJ6pA1gUeQo5iVtNbMzXs";

  private static final String INSTANCE =
      """
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          region: us-south
          endpoint: http://127.0.0.1:9
      """;

  private static String withIam(String iamKeys) {
    return INSTANCE + "iam:\n" + iamKeys.indent(2);
  }

  @Test
  void absentSectionTakesDefaults() throws Exception {
    IamSettings iam = parse(INSTANCE).iam();

    assertThat(iam.url()).isEqualTo(IamSettings.DEFAULT_URL);
    assertThat(iam.apiKeyEnv()).isEqualTo(IamSettings.DEFAULT_API_KEY_ENV);
    assertThat(iam.apiKeyFile()).isNull();
  }

  @Test
  void urlAloneKeepsDefaultVariable() throws Exception {
    IamSettings iam = parse(withIam("url: http://127.0.0.1:8080/identity/token")).iam();

    assertThat(iam.url()).isEqualTo(URI.create("http://127.0.0.1:8080/identity/token"));
    assertThat(iam.apiKeyEnv()).isEqualTo(IamSettings.DEFAULT_API_KEY_ENV);
  }

  @Test
  void variableNameIsTaken() throws Exception {
    IamSettings iam = parse(withIam("api_key_env: _KP_EXPORTER_KEY2")).iam();

    assertThat(iam.apiKeyEnv()).isEqualTo("_KP_EXPORTER_KEY2");
    assertThat(iam.apiKeyFile()).isNull();
  }

  @Test
  void fileReplacesDefaultVariable() throws Exception {
    IamSettings iam = parse(withIam("api_key_file: /run/secrets/ibmcloud-api-key")).iam();

    assertThat(iam.apiKeyFile()).isEqualTo(Path.of("/run/secrets/ibmcloud-api-key"));
    assertThat(iam.apiKeyEnv()).isNull();
  }

  @Test
  void variableAndFileTogetherAreRejected() {
    assertThat(onlyErrorOf(withIam("api_key_env: KEY\napi_key_file: /run/key")))
        .isEqualTo(
            "iam: api_key_env and api_key_file are both set. Keep only the one that holds"
                + " the API key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1KEY", "MY-KEY", "MY KEY", "KEY$"})
  void invalidVariableNameIsRejected(String name) {
    assertThat(onlyErrorOf(withIam("api_key_env: \"" + name + "\"")))
        .isEqualTo(
            "iam.api_key_env: \""
                + name
                + "\" is not a valid environment variable name."
                + " Use letters, digits and underscores, not starting with a digit, such as"
                + " IBMCLOUD_API_KEY");
  }

  @Test
  void emptyFilePathIsRejected() {
    assertThat(onlyErrorOf(withIam("api_key_file: \"\"")))
        .isEqualTo(
            "iam.api_key_file: the path is empty. Give the file that holds the API key,"
                + " such as /run/secrets/ibmcloud-api-key");
  }

  @ParameterizedTest
  @ValueSource(strings = {"api_key", "apikey", "apiKey", "API_KEY", "ibmcloud-api-key"})
  void inlineKeyIsRejectedWithoutItsValue(String key) {
    String error = onlyErrorOf(withIam(key + ": " + FAKE_KEY));

    assertThat(error)
        .startsWith("iam." + key + ": the API key must not be written into the configuration")
        .contains("iam.api_key_env", "iam.api_key_file")
        .doesNotContain(FAKE_KEY.substring(0, 8));
  }

  @Test
  void inlineKeyAtTopLevelIsRejected() {
    assertThat(onlyErrorOf(INSTANCE + "api_key: " + FAKE_KEY))
        .startsWith("api_key: the API key must not be written into the configuration")
        .doesNotContain(FAKE_KEY.substring(0, 8));
  }

  @Test
  void keyPastedAsVariableNameIsNotShown() {
    assertThat(onlyErrorOf(withIam("api_key_env: " + FAKE_KEY)))
        .startsWith("iam.api_key_env: the value looks like an API key, so it is not shown.")
        .doesNotContain(FAKE_KEY.substring(0, 8));
  }

  @Test
  void keyPastedAsFileIsNotShown() {
    assertThat(onlyErrorOf(withIam("api_key_file: " + FAKE_KEY)))
        .startsWith("iam.api_key_file: the value looks like an API key, so it is not shown.")
        .doesNotContain(FAKE_KEY.substring(0, 8));
  }

  @Test
  void urlWithOtherSchemeIsRejected() {
    assertThat(onlyErrorOf(withIam("url: ftp://127.0.0.1/identity/token")))
        .isEqualTo(
            "iam.url: \"ftp://127.0.0.1/identity/token\" does not start with https:// or"
                + " http://. Expected an absolute http or https URL such as "
                + IamSettings.DEFAULT_URL);
  }

  @Test
  void relativeUrlIsRejected() {
    assertThat(onlyErrorOf(withIam("url: /identity/token")))
        .startsWith("iam.url: \"/identity/token\" does not start with https:// or http://.");
  }

  @Test
  void urlWithoutHostIsRejected() {
    assertThat(onlyErrorOf(withIam("url: https:///identity/token")))
        .startsWith("iam.url: \"https:///identity/token\" has no valid host name.");
  }

  @Test
  void malformedUrlIsRejected() {
    assertThat(onlyErrorOf(withIam("url: http://127.0.0.1/identity token")))
        .startsWith(
            "iam.url: \"http://127.0.0.1/identity token\" is not a valid URL (Illegal"
                + " character in path at position 26).");
  }

  @Test
  void urlWithUserInfoIsMasked() {
    String error = onlyErrorOf(withIam("url: https://admin:hunter2@127.0.0.1/identity/token"));

    assertThat(error)
        .startsWith("iam.url: \"https://****@127.0.0.1/identity/token\" contains user information")
        .doesNotContain("hunter2");
  }

  @Test
  void urlWithQueryIsRejected() {
    assertThat(onlyErrorOf(withIam("url: http://127.0.0.1/identity/token?debug=1")))
        .startsWith(
            "iam.url: \"http://127.0.0.1/identity/token?debug=1\" contains a query (?) or"
                + " fragment (#). Remove it.");
  }

  @Test
  void urlWithPortOutOfRangeIsRejected() {
    assertThat(onlyErrorOf(withIam("url: http://127.0.0.1:99999/identity/token")))
        .startsWith(
            "iam.url: \"http://127.0.0.1:99999/identity/token\" has port 99999, which is not"
                + " between 1 and 65535.");
    assertThat(onlyErrorOf(withIam("url: http://127.0.0.1:0/identity/token")))
        .contains("has port 0, which is not between 1 and 65535");
  }

  @Test
  void numberAsUrlNamesType() {
    assertThat(onlyErrorOf(withIam("url: 443")))
        .isEqualTo(
            "iam.url: expected an http or https URL such as "
                + IamSettings.DEFAULT_URL
                + ", found the number 443. Put the value in quotes");
  }

  @Test
  void plainHttpToRemoteHostWarns() throws Exception {
    try (LogCapture log = LogCapture.of(ConfigLoader.class)) {
      parse(withIam("url: http://iam.example.com/identity/token"));

      assertThat(log.warnings())
          .containsExactly(
              "test.yaml: iam.url: \"http://iam.example.com/identity/token\" uses plain http, so"
                  + " the API key travels unencrypted. Use https unless this is a test server");
    }
  }

  @Test
  void plainHttpToLoopbackDoesNotWarn() throws Exception {
    try (LogCapture log = LogCapture.of(ConfigLoader.class)) {
      parse(withIam("url: http://localhost:8080/identity/token"));

      assertThat(log.warnings()).isEmpty();
    }
  }
}
