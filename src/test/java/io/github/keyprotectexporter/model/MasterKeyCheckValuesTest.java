package io.github.keyprotectexporter.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MasterKeyCheckValuesTest {

  @Test
  void hashIsFirstEightHexDigitsOfSha256() {
    // printf 'abc' | sha256sum starts with ba7816bf.
    assertThat(MasterKeyCheckValues.hash("abc")).isEqualTo("ba7816bf");
  }

  @Test
  void hexValuesIgnoreCaseAndSpaces() {
    assertThat(MasterKeyCheckValues.hash(" 9A3F0C\n"))
        .isEqualTo(MasterKeyCheckValues.hash("9a3f0c"));
  }

  @Test
  void otherValuesKeepTheirCase() {
    assertThat(MasterKeyCheckValues.hash("Key-A"))
        .isNotEqualTo(MasterKeyCheckValues.hash("key-a"));
  }

  @Test
  void blankValueHasNoHash() {
    assertThat(MasterKeyCheckValues.hash(null)).isNull();
    assertThat(MasterKeyCheckValues.hash("  ")).isNull();
  }

  @Test
  void unitToStringHidesCheckValue() {
    CryptoUnit unit = CryptoUnit.of("u1", "kms-initialized", "9A3F0C", "dal10");

    assertThat(unit.toString()).doesNotContain("9A3F0C").contains(unit.masterKeyCheckValueHash());
    assertThat(unit.masterKeyCheckValue()).isEqualTo("9A3F0C");
  }
}
