package io.github.keyprotectexporter.polling;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.sources.PollException;
import java.time.Duration;
import java.time.Instant;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {

  private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
  private static final Instant DEADLINE = NOW.plusSeconds(30);
  /** nextDouble returns the largest value below 1, so each backoff is just under its ceiling. */
  private static final RandomGenerator HIGHEST = () -> -1L;
  private static final RandomGenerator LOWEST = () -> 0L;

  private static PollException retryable(Duration retryAfter) {
    return new PollException(PollErrorReason.SERVER_ERROR, "HTTP 503", true, retryAfter);
  }

  @Test
  void backoffCeilingDoubles() {
    RetryPolicy policy = new RetryPolicy(HIGHEST);

    assertThat(policy.backoff(0)).isEqualTo(Duration.ofMillis(999));
    assertThat(policy.backoff(1)).isEqualTo(Duration.ofMillis(1999));
    assertThat(policy.backoff(2)).isEqualTo(Duration.ofMillis(3999));
    assertThat(policy.backoff(10)).isEqualTo(Duration.ofMillis(29999));
    assertThat(policy.backoff(Integer.MAX_VALUE)).isEqualTo(Duration.ofMillis(29999));
  }

  @Test
  void backoffMayBeZero() {
    assertThat(new RetryPolicy(LOWEST).backoff(2)).isEqualTo(Duration.ZERO);
  }

  @Test
  void retriesAtMostThreeTimes() {
    RetryPolicy policy = new RetryPolicy(HIGHEST);

    assertThat(policy.retryWait(2, retryable(null), NOW, DEADLINE)).isPresent();
    assertThat(policy.retryWait(3, retryable(null), NOW, DEADLINE)).isEmpty();
  }

  @Test
  void neverRetriesNonRetryableFailure() {
    PollException failure = new PollException(PollErrorReason.CLIENT_ERROR, "HTTP 404");

    assertThat(new RetryPolicy(LOWEST).retryWait(0, failure, NOW, DEADLINE)).isEmpty();
  }

  @Test
  void usesRetryAfterInsteadOfBackoff() {
    RetryPolicy policy = new RetryPolicy(HIGHEST);

    assertThat(policy.retryWait(0, retryable(Duration.ofSeconds(12)), NOW, DEADLINE))
        .contains(Duration.ofSeconds(12));
  }

  @Test
  void waitMayEndAtDeadlineButNotAfter() {
    RetryPolicy policy = new RetryPolicy(HIGHEST);

    assertThat(policy.retryWait(0, retryable(Duration.ofSeconds(30)), NOW, DEADLINE))
        .contains(Duration.ofSeconds(30));
    assertThat(policy.retryWait(0, retryable(Duration.ofSeconds(31)), NOW, DEADLINE)).isEmpty();
    assertThat(policy.retryWait(2, retryable(null), DEADLINE.minusSeconds(3), DEADLINE))
        .isEmpty();
  }
}
