package io.github.keyprotectexporter.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SecretTest {

  // Shaped like an IBM Cloud API key: 44 characters of base64url.
  private static final String KEY = "Zq3vH8kLw2Rt6YpXb9NcJ4sEa7UmDf1GiO5hKyTzQe0W";
  private final Secret secret = new Secret(KEY);

  @Test
  void hidesValueFromToString() {
    assertThat(secret.toString()).isEqualTo("****");
  }

  @Nested
  class MaskIn {

    @Test
    void masksWholeSecret() {
      assertThat(secret.maskIn("key " + KEY + " not found")).isEqualTo("key **** not found");
    }

    @Test
    void masksPrefix() {
      assertThat(secret.maskIn("key " + KEY.substring(0, 30) + "... not found"))
          .isEqualTo("key ****... not found");
    }

    @Test
    void masksSuffix() {
      assertThat(secret.maskIn("key ..." + KEY.substring(20))).isEqualTo("key ...****");
    }

    @Test
    void masksMiddleFragment() {
      assertThat(secret.maskIn("[" + KEY.substring(10, 18) + "]")).isEqualTo("[****]");
    }

    @Test
    void masksLowerAndUpperCase() {
      String text = KEY.toLowerCase(Locale.ROOT) + " " + KEY.toUpperCase(Locale.ROOT);

      assertThat(secret.maskIn(text)).isEqualTo("**** ****");
    }

    @Test
    void masksEveryOccurrence() {
      assertThat(secret.maskIn(KEY + "," + KEY.substring(5, 25))).isEqualTo("****,****");
    }

    @Test
    void keepsFragmentShorterThanMinimum() {
      String shortFragment = KEY.substring(10, 10 + Secret.MIN_MASKED_FRAGMENT - 1);

      assertThat(secret.maskIn("[" + shortFragment + "]")).isEqualTo("[" + shortFragment + "]");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "Provided API key could not be found.",
          "BXNIM0415E invalid grant_type",
          "urn:ibm:params:oauth:grant-type:apikey",
          "7f3e9b10-5c2d-4a8e-b1f0-00000000beef"
        })
    void keepsInnocentText(String text) {
      assertThat(secret.maskIn(text)).isEqualTo(text);
      assertThat(secret.occursIn(text)).isFalse();
    }

    @Test
    void masksShortSecretOnlyWhole() {
      Secret pin = new Secret("Ab12");

      assertThat(pin.maskIn("Ab12 ab12 Ab1")).isEqualTo("**** ab12 Ab1");
    }

    @Test
    void returnsNullForNull() {
      assertThat(secret.maskIn(null)).isNull();
    }
  }

  @Test
  void findsFragmentInText() {
    assertThat(secret.occursIn("echo " + KEY.substring(30).toLowerCase(Locale.ROOT))).isTrue();
    assertThat(secret.occursIn(null)).isFalse();
  }
}
