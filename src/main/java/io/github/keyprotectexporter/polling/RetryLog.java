package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.Durations;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs one line per retry of an instance's poll, and limits repeats as {@link RepeatedFailureLog}
 * does: a retry for the same reason as the last logged one is logged at INFO at most once per
 * {@link RepeatedFailureLog#REPEAT_INTERVAL}, with the number of retries logged only at DEBUG in
 * between. Not thread-safe: used only by the poll of its instance.
 */
final class RetryLog {

  private static final Logger logger = LoggerFactory.getLogger(RetryLog.class);

  private final String instanceId;
  private String lastReason;
  private Instant lastLoggedAt;
  private long suppressed;

  RetryLog(String instanceId) {
    this.instanceId = instanceId;
  }

  /**
   * Records a scheduled retry.
   *
   * @param attempt the number of the attempt that will be made, 2 for the first retry
   */
  void retrying(int attempt, Duration wait, String reason, String message, Instant now) {
    boolean repeat = reason.equals(lastReason)
        && lastLoggedAt.plus(RepeatedFailureLog.REPEAT_INTERVAL).isAfter(now);
    if (repeat) {
      suppressed++;
      logger.debug("Poll retry scheduled instance_id={} attempt={} wait={} reason={} error=\"{}\"",
          instanceId, attempt, Durations.format(wait), reason, message);
      return;
    }
    if (suppressed > 0) {
      logger.info("Poll retry scheduled instance_id={} attempt={} wait={} reason={} error=\"{}\""
              + " retries_since_last_log={}",
          instanceId, attempt, Durations.format(wait), reason, message, suppressed);
    } else {
      logger.info("Poll retry scheduled instance_id={} attempt={} wait={} reason={} error=\"{}\"",
          instanceId, attempt, Durations.format(wait), reason, message);
    }
    lastReason = reason;
    lastLoggedAt = now;
    suppressed = 0;
  }
}
