package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.Secret;
import java.time.Duration;
import java.time.Instant;

/**
 * An IAM access token and its lifetime as measured on this host's clock.
 *
 * @param accessToken the bearer token
 * @param obtainedAt when the token request was sent
 * @param expiresAt when IAM stops accepting the token
 */
record IamToken(Secret accessToken, Instant obtainedAt, Instant expiresAt) {

  /** Share of the lifetime after which the token is refreshed, as IBM's SDKs do. */
  static final double REFRESH_AT_FRACTION = 0.8;

  Duration lifetime() {
    return Duration.between(obtainedAt, expiresAt);
  }

  /** Returns the time after which a new token should be requested. */
  Instant refreshAt() {
    long lifetimeMillis = lifetime().toMillis();
    return obtainedAt.plusMillis((long) (lifetimeMillis * REFRESH_AT_FRACTION));
  }

  /** Returns true while the token is young enough to use without trying a refresh. */
  boolean isFresh(Instant now) {
    return now.isBefore(refreshAt());
  }

  /** Returns true while IAM still accepts the token. */
  boolean isValid(Instant now) {
    return now.isBefore(expiresAt);
  }
}
