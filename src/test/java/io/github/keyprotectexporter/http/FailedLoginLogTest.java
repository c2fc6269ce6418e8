package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.github.keyprotectexporter.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class FailedLoginLogTest {

  private final Logger logger = (Logger) LoggerFactory.getLogger(FailedLoginLog.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final FailedLoginLog log = new FailedLoginLog(clock);

  @BeforeEach
  void capture() {
    appender.start();
    logger.addAppender(appender);
  }

  @AfterEach
  void release() {
    logger.detachAppender(appender);
  }

  @Test
  void logsFirstFailureAndCountsRepeats() {
    log.failed("alice", "10.0.0.1", "/metrics", "wrong password");
    for (int i = 0; i < 50; i++) {
      log.failed(null, "10.0.0.2", "/metrics", "unknown user or malformed header");
    }
    clock.advance(FailedLoginLog.INTERVAL.plus(Duration.ofSeconds(1)));
    log.failed("alice", "10.0.0.1", "/", "wrong password");

    List<String> lines = messages();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0))
        .isEqualTo("Login failed user=alice remote=10.0.0.1 path=/metrics reason=wrong password");
    assertThat(lines.get(1)).endsWith("earlier_failures_not_logged=50");
  }

  @Test
  void unknownUserIsNotNamed() {
    log.failed(null, "10.0.0.2", "/metrics", "unknown user or malformed header");

    assertThat(messages()).singleElement().asString().contains("user=(unknown)");
  }

  private List<String> messages() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
