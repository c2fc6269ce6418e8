package io.github.keyprotectexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** An API key pasted into a setting where it does not belong is never printed back. */
class PastedKeyTest {

  private static final String KEY = "SecretApiKeyAbCdEfGhIjKlMnOpQrStUv0123456789";

  @ParameterizedTest
  @ValueSource(strings = {
      "poll:\n  interval: KEY\n",
      "iam:\n  url: http://127.0.0.1:1/identity/token?apikey=KEY\n",
      "instances:\n  - id: KEY\n    region: us-south\n",
      "instances:\n  - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef\n    region: KEY\n",
      "instances:\n  - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef\n    region: us-south\n"
          + "    endpoint: http://127.0.0.1:1/KEY#KEY\n",
      "KEY: 1\n",
      "poll:\n  KEY: 30s\n"})
  void errorsMaskPastedKey(String template) {
    List<String> errors = Configs.errorsOf(template.replace("KEY", KEY));

    assertThat(errors).isNotEmpty();
    assertThat(String.join("\n", errors)).doesNotContain(KEY).doesNotContain(KEY.substring(0, 32));
  }

  @Test
  void descriptionMasksKeyInEndpointPath() throws ConfigException {
    ExporterConfig config = Configs.parse("""
        iam:
          url: http://127.0.0.1:9/identity/token
        instances:
          - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
            region: us-south
            endpoint: http://127.0.0.1:9/%s
        """.formatted(KEY));

    assertThat(ConfigDescriber.describe(config)).doesNotContain(KEY).contains("127.0.0.1:9/****");
  }

  @Test
  void guidsAndNamesStayReadable() {
    assertThat(Echo.quote("7f3e9b10-5c2d-4a8e-b1f0-00000000beef"))
        .isEqualTo("\"7f3e9b10-5c2d-4a8e-b1f0-00000000beef\"");
    assertThat(Echo.quote("IBMCLOUD_API_KEY")).isEqualTo("\"IBMCLOUD_API_KEY\"");
  }
}
