package io.github.keyprotectexporter.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs failed logins at WARN without flooding the log: the first failure at once, then at most
 * one line per {@link #INTERVAL} that counts the failures left out. Thread-safe.
 */
final class FailedLoginLog {

  static final Duration INTERVAL = Duration.ofMinutes(1);

  private static final Logger logger = LoggerFactory.getLogger(FailedLoginLog.class);

  private final Clock clock;
  private Instant lastLoggedAt;
  private long suppressed;

  FailedLoginLog(Clock clock) {
    this.clock = clock;
  }

  /**
   * Records one failed login.
   *
   * @param user the user name when it is a configured one, else null: an unknown name is not
   *     logged, because it may be a password typed into the wrong field
   * @param reason why the login failed, such as {@code wrong password}
   */
  synchronized void failed(String user, String remote, String path, String reason) {
    Instant now = clock.instant();
    if (lastLoggedAt != null && now.isBefore(lastLoggedAt.plus(INTERVAL))) {
      suppressed++;
      return;
    }
    String shownUser = user == null ? "(unknown)" : user;
    if (suppressed == 0) {
      logger.warn("Login failed user={} remote={} path={} reason={}", shownUser, remote, path,
          reason);
    } else {
      logger.warn("Login failed user={} remote={} path={} reason={} earlier_failures_not_logged={}",
          shownUser, remote, path, reason, suppressed);
    }
    lastLoggedAt = now;
    suppressed = 0;
  }
}
