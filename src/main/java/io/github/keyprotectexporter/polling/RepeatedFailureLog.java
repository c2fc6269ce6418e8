package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.Durations;
import io.github.keyprotectexporter.sources.PollException;
import java.time.Duration;
import java.time.Instant;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs the failures of one instance's polls or probes without flooding the log: a new or
 * different failure is logged at once, the same failure again at most once per {@link
 * #REPEAT_INTERVAL} with a count, and the recovery once. Two failures are the same when their
 * reasons match and their messages match apart from UUIDs and durations. Not thread-safe: used only by the poll
 * or probe of its instance.
 */
final class RepeatedFailureLog {

  static final Duration REPEAT_INTERVAL = Duration.ofMinutes(5);

  private static final Logger logger = LoggerFactory.getLogger(RepeatedFailureLog.class);

  /**
   * A UUID, such as the request id that each API request carries. Messages are compared without
   * them, so that the same transport error on every poll counts as a repeat.
   */
  private static final Pattern UUID =
      Pattern.compile("(?i)\\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\\b");

  /**
   * A Prometheus-style duration, such as the age of a stale adapter document. It grows on every
   * poll, so messages are compared without it.
   */
  private static final Pattern DURATION =
      Pattern.compile("\\b(?:\\d+(?:ms|[smhdwy]))+\\b");

  private final String instanceId;
  private final String subject;
  private String lastFailure;
  private Instant lastLoggedAt;
  private long suppressed;
  private long consecutive;

  RepeatedFailureLog(String instanceId) {
    this(instanceId, "Poll");
  }

  /**
   * Creates a log for one kind of attempt.
   *
   * @param subject what failed, capitalised, such as {@code Poll} or {@code Key probe}
   */
  RepeatedFailureLog(String instanceId, String subject) {
    this.instanceId = instanceId;
    this.subject = subject;
  }

  /** Takes over the failure count and the last logged failure of the log this one replaces. */
  void continueFrom(RepeatedFailureLog previous) {
    lastFailure = previous.lastFailure;
    lastLoggedAt = previous.lastLoggedAt;
    suppressed = previous.suppressed;
    consecutive = previous.consecutive;
  }

  void failed(PollException error, Instant now) {
    failed(error.reason().label(), error.getMessage(), now);
  }

  /** Records a failure with its {@code reason} label and message. */
  void failed(String reason, String message, Instant now) {
    consecutive++;
    String withoutIds = UUID.matcher(message).replaceAll("<uuid>");
    String failure = reason + ": " + DURATION.matcher(withoutIds).replaceAll("<duration>");
    boolean repeat = failure.equals(lastFailure);
    if (repeat && lastLoggedAt.plus(REPEAT_INTERVAL).isAfter(now)) {
      suppressed++;
      return;
    }
    if (repeat) {
      logger.warn(
          "{} still failing instance_id={} reason={} error=\"{}\" repeated={} since_last_log={}",
          subject,
          instanceId,
          reason,
          message,
          suppressed + 1,
          Durations.format(Duration.between(lastLoggedAt, now)));
    } else {
      logger.warn(
          "{} failed instance_id={} reason={} error=\"{}\"", subject, instanceId, reason, message);
    }
    lastFailure = failure;
    lastLoggedAt = now;
    suppressed = 0;
  }

  void succeeded() {
    if (consecutive > 0) {
      logger.info("{} recovered instance_id={} failures={}", subject, instanceId, consecutive);
    }
    consecutive = 0;
    lastFailure = null;
    lastLoggedAt = null;
    suppressed = 0;
  }
}
