package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.Secret;
import java.util.List;

/** Recognisable fake credentials, and checks that they leak nowhere. */
final class FakeSecrets {

  static final String API_KEY = "FAKE-APIKEY-3c9d1e7a-never-log-me";
  static final String TOKEN_A = "FAKE-TOKEN-A-5b2f8c41-never-log-me";
  static final String TOKEN_B = "FAKE-TOKEN-B-6d3a9e52-never-log-me";
  static final List<String> ALL = List.of(API_KEY, TOKEN_A, TOKEN_B);

  private FakeSecrets() {}

  static Secret apiKey() {
    return new Secret(API_KEY);
  }

  /** Returns an IAM token response for {@code token}, valid for {@code expiresIn} seconds. */
  static String tokenResponse(String token, long expiresIn) {
    return """
    {
      "access_token": "%s",
      "refresh_token": "not-used",
      "token_type": "Bearer",
      "expires_in": %d,
      "expiration": 1767229200,
      "scope": "ibm openid"
    }
    """
        .formatted(token, expiresIn);
  }

  /** Asserts that no fake secret, not even a long part of one, is in {@code text}. */
  static void assertNoSecretIn(String text) {
    for (String secret : ALL) {
      assertThat(text).doesNotContain(secret);
      assertThat(text).doesNotContain(secret.substring(0, 16));
    }
  }

  /** Asserts that no fake secret is in the message or text of {@code thrown} and its causes. */
  static void assertNoSecretIn(Throwable thrown) {
    for (Throwable t = thrown; t != null; t = t.getCause()) {
      assertNoSecretIn(String.valueOf(t.getMessage()));
      assertNoSecretIn(t.toString());
      for (Throwable suppressed : t.getSuppressed()) {
        assertNoSecretIn(suppressed);
      }
    }
  }
}
