package io.github.keyprotectexporter.simulator;

import io.github.keyprotectexporter.config.Secret;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Issues random access tokens and remembers when each expires, on the scenario's clock. */
final class TokenIssuer {

  /** A token pair as the IAM token endpoint returns it. */
  record IssuedToken(
      String accessToken, String refreshToken, Duration lifetime, Instant expiration) {}

  private final Clock clock;
  private final Duration lifetime;
  private final Secret expectedApiKey;
  private final SecureRandom random = new SecureRandom();
  private final Map<String, Instant> expirations = new ConcurrentHashMap<>();

  /**
   * @param expectedApiKey the only API key accepted, or null to accept any non-empty key
   */
  TokenIssuer(Clock clock, Duration lifetime, Secret expectedApiKey) {
    this.clock = clock;
    this.lifetime = lifetime;
    this.expectedApiKey = expectedApiKey;
  }

  /** Returns true when {@code apiKey} may get a token, comparing in constant time. */
  boolean accepts(String apiKey) {
    if (expectedApiKey == null) {
      return true;
    }
    byte[] expected = expectedApiKey.reveal().getBytes(StandardCharsets.UTF_8);
    return MessageDigest.isEqual(expected, apiKey.getBytes(StandardCharsets.UTF_8));
  }

  IssuedToken issue() {
    Instant now = clock.instant();
    // Forgetting expired tokens here keeps the map small in a long-running demo.
    expirations.values().removeIf(expiration -> !now.isBefore(expiration));
    Instant expiration = now.plus(lifetime);
    String accessToken = randomToken();
    expirations.put(accessToken, expiration);
    return new IssuedToken(accessToken, randomToken(), lifetime, expiration);
  }

  /** Returns true when this issuer issued {@code accessToken} and it has not expired yet. */
  boolean isValid(String accessToken) {
    Instant expiration = expirations.get(accessToken);
    return expiration != null && clock.instant().isBefore(expiration);
  }

  private String randomToken() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }
}
