package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.Secret;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * An IAM access token and its lifetime as measured on this host's clock.
 *
 * @param accessToken the bearer token
 * @param obtainedAt when the token request was sent
 * @param expiresAt when IAM stops accepting the token, after {@code obtainedAt}
 */
record IamToken(Secret accessToken, Instant obtainedAt, Instant expiresAt) {

  IamToken {
    Objects.requireNonNull(accessToken, "accessToken");
    if (!expiresAt.isAfter(obtainedAt)) {
      throw new IllegalArgumentException(
          "expiresAt " + expiresAt + " must be after obtainedAt " + obtainedAt);
    }
  }

  Duration lifetime() {
    return Duration.between(obtainedAt, expiresAt);
  }

  /**
   * Returns the time after which a new token should be requested: once 80% of the lifetime has
   * passed, as IBM's SDKs do. Computed without multiplying, so no lifetime can overflow it.
   */
  Instant refreshAt() {
    Duration lifetime = lifetime();
    return obtainedAt.plus(lifetime.minus(lifetime.dividedBy(5)));
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
