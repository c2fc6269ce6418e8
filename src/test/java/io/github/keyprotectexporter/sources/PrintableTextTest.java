package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PrintableTextTest {

  @ParameterizedTest
  @CsvSource({
    "'u1\nx', 'u1\\u000Ax'",
    "'\u001b[2J', '\\u001B[2J'",
    "'a\u0000b', 'a\\u0000b'",
    "'a\u2028b\u2029c', 'a\\u2028b\\u2029c'",
    "'abc\u202Efed', 'abc\\u202Efed'",
    "'a\u200Bb', 'a\\u200Bb'",
    "'a\u0085b', 'a\\u0085b'"
  })
  void escapesUnsafeCharacters(String text, String escaped) {
    assertThat(PrintableText.containsUnsafe(text)).isTrue();
    assertThat(PrintableText.escape(text)).isEqualTo(escaped);
  }

  @Test
  void escapesFormatCharacterOutsideBasicPlane() {
    String tagged = "a" + Character.toString(0xE0041) + "b";

    assertThat(PrintableText.escape(tagged)).isEqualTo("a\\uE0041b");
  }

  @ParameterizedTest
  @ValueSource(strings = {"4d1c2a9e-0b7f-4e61-9c3a-0000000000a1", "unité 1", "Ω", "a b", ""})
  void keepsPrintableText(String text) {
    assertThat(PrintableText.containsUnsafe(text)).isFalse();
    assertThat(PrintableText.escape(text)).isSameAs(text);
  }

  @Test
  void keepsNull() {
    assertThat(PrintableText.containsUnsafe(null)).isFalse();
    assertThat(PrintableText.escape(null)).isNull();
  }
}
