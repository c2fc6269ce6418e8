package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.sources.PollException;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the failures of one instance's polls without flooding the log: a new or different failure
 * is logged at once, the same failure again at most once per {@link #REPEAT_INTERVAL} with a count,
 * and the recovery once. Not thread-safe: used only by the poll of its instance.
 */
final class RepeatedFailureLog {

  static final Duration REPEAT_INTERVAL = Duration.ofMinutes(5);

  private static final Logger logger = LoggerFactory.getLogger(RepeatedFailureLog.class);

  private final String instanceId;
  private String lastFailure;
  private Instant lastLoggedAt;
  private long suppressed;
  private long consecutive;

  RepeatedFailureLog(String instanceId) {
    this.instanceId = instanceId;
  }

  void failed(PollException error, Instant now) {
    consecutive++;
    String failure = error.reason().label() + ": " + error.getMessage();
    boolean repeat = failure.equals(lastFailure);
    if (repeat && lastLoggedAt.plus(REPEAT_INTERVAL).isAfter(now)) {
      suppressed++;
      return;
    }
    if (repeat) {
      logger.warn(
          "Poll still failing instance_id={} reason={} error=\"{}\" repeated={} since_last_log={}",
          instanceId,
          error.reason().label(),
          error.getMessage(),
          suppressed + 1,
          Duration.between(lastLoggedAt, now));
    } else {
      logger.warn(
          "Poll failed instance_id={} reason={} error=\"{}\"",
          instanceId,
          error.reason().label(),
          error.getMessage());
    }
    lastFailure = failure;
    lastLoggedAt = now;
    suppressed = 0;
  }

  void succeeded() {
    if (consecutive > 0) {
      logger.info("Poll recovered instance_id={} failed_polls={}", instanceId, consecutive);
    }
    consecutive = 0;
    lastFailure = null;
    lastLoggedAt = null;
    suppressed = 0;
  }
}
