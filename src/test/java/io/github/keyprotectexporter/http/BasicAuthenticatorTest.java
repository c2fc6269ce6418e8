package io.github.keyprotectexporter.http;

import static io.github.keyprotectexporter.http.SecureServerFixture.basic;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.http.BasicAuthenticator.Outcome;
import java.util.Map;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.security.crypto.bcrypt.BCrypt;

class BasicAuthenticatorTest {

  private final Semaphore checks = new Semaphore(1);
  private final BasicAuthenticator authenticator = new BasicAuthenticator(
      Map.of("alice", BCrypt.hashpw("right", BCrypt.gensalt(4))), checks);

  @ParameterizedTest
  @ValueSource(strings = {"$2a", "$2b", "$2y"})
  void checksEveryBcryptVersion(String version) throws InterruptedException {
    BasicAuthenticator withVersion = new BasicAuthenticator(
        Map.of("alice", BCrypt.hashpw("right", BCrypt.gensalt(version, 4))));

    assertThat(withVersion.check(basic("alice", "right"))).isEqualTo(Outcome.ACCEPTED);
    assertThat(withVersion.check(basic("alice", "wrong"))).isEqualTo(Outcome.REJECTED);
  }

  @Test
  void missingHeaderIsMissing() throws InterruptedException {
    assertThat(authenticator.check(null)).isEqualTo(Outcome.MISSING);
  }

  @Test
  void unknownUserIsRejected() throws InterruptedException {
    assertThat(authenticator.check(basic("mallory", "right"))).isEqualTo(Outcome.REJECTED);
  }

  @Test
  void malformedHeadersAreRejected() throws InterruptedException {
    assertThat(authenticator.check("Basic not-base64!")).isEqualTo(Outcome.REJECTED);
    assertThat(authenticator.check("Basic YWxpY2U=")).isEqualTo(Outcome.REJECTED);
    assertThat(authenticator.check("Bearer abc")).isEqualTo(Outcome.REJECTED);
  }

  @Test
  void passwordOver72BytesIsRejected() throws InterruptedException {
    String password = "a".repeat(BasicAuthenticator.MAX_PASSWORD_BYTES);
    BasicAuthenticator withLongPassword = new BasicAuthenticator(
        Map.of("alice", BCrypt.hashpw(password, BCrypt.gensalt(4))));

    assertThat(withLongPassword.check(basic("alice", password))).isEqualTo(Outcome.ACCEPTED);
    assertThat(withLongPassword.check(basic("alice", password + "b")))
        .isEqualTo(Outcome.REJECTED);
  }

  @Test
  void knownCredentialsSkipBcryptWhileChecksAreBusy() throws InterruptedException {
    authenticator.check(basic("alice", "right"));
    authenticator.check(basic("alice", "wrong"));
    checks.acquire();
    try {
      assertThat(authenticator.check(basic("alice", "right"))).isEqualTo(Outcome.ACCEPTED);
      assertThat(authenticator.check(basic("alice", "wrong"))).isEqualTo(Outcome.REJECTED);
      assertThat(authenticator.check(basic("alice", "new guess"))).isEqualTo(Outcome.BUSY);
    } finally {
      checks.release();
    }
  }

  @Test
  void floodOfWrongPasswordsKeepsRightOneCached() throws InterruptedException {
    authenticator.check(basic("alice", "right"));
    for (int i = 0; i < BasicAuthenticator.REJECTED_CACHE_SIZE + 10; i++) {
      authenticator.check("Basic " + java.util.Base64.getEncoder()
          .encodeToString(("alice:guess" + i).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
    checks.acquire();
    try {
      assertThat(authenticator.check(basic("alice", "right"))).isEqualTo(Outcome.ACCEPTED);
    } finally {
      checks.release();
    }
  }

  @Test
  void userOfReturnsNameOnly() {
    assertThat(BasicAuthenticator.userOf(basic("alice", "right"))).isEqualTo("alice");
    assertThat(BasicAuthenticator.userOf(null)).isNull();
  }
}
