package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CredentialPatternsTest {

  @Test
  void masksBearerValue() {
    assertThat(CredentialPatterns.mask("header Authorization: Bearer abc.def-123, next"))
        .isEqualTo("header Authorization: Bearer ****, next");
  }

  @Test
  void masksJsonWebToken() {
    String jwt = "eyJraWQiOiIyMDI2In0.eyJpYW1faWQiOiJJQk1pZC0xIn0.c2lnbmF0dXJl";

    assertThat(CredentialPatterns.mask("token " + jwt + " expired"))
        .isEqualTo("token **** expired");
  }

  @Test
  void keepsOrdinaryText() {
    assertThat(CredentialPatterns.mask("no healthy upstream")).isEqualTo("no healthy upstream");
  }
}
