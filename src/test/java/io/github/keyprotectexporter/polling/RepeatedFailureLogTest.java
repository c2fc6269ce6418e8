package io.github.keyprotectexporter.polling;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.sources.PollException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class RepeatedFailureLogTest {

  private static final Instant START = Instant.parse("2026-12-01T10:00:00Z");
  private static final String FIRST_ID = "0b9d5e8c-2f41-4c07-9a6e-3d58f1c2a7b4";
  private static final String SECOND_ID = "E4A7C2D1-8B3F-4A96-B05E-71C9D2F3A8E6";

  private final RepeatedFailureLog log = new RepeatedFailureLog("instance-a");

  private static PollException timeout(String requestId) {
    return new PollException(
        PollErrorReason.TIMEOUT,
        "GET http://127.0.0.1:1/api/v1/cryptounits (request id " + requestId + ") timed out");
  }

  @Test
  void countsMessagesDifferingOnlyInRequestIdAsRepeat() {
    try (CapturedLogs logs = new CapturedLogs()) {
      log.failed(timeout(FIRST_ID), START);
      log.failed(timeout(SECOND_ID), START.plusSeconds(30));
      log.failed(timeout(FIRST_ID), START.plusSeconds(60));

      assertThat(logs.messages(Level.WARN))
          .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
          .contains("Poll failed instance_id=instance-a reason=timeout")
          .contains("(request id " + FIRST_ID + ")");
    }
  }

  @Test
  void logsRepeatAfterIntervalWithItsOwnRequestId() {
    try (CapturedLogs logs = new CapturedLogs()) {
      log.failed(timeout(FIRST_ID), START);
      log.failed(timeout(SECOND_ID), START.plusSeconds(30));
      log.failed(timeout(SECOND_ID), START.plus(RepeatedFailureLog.REPEAT_INTERVAL));

      assertThat(logs.messages(Level.WARN)).hasSize(2);
      assertThat(logs.messages(Level.WARN).get(1))
          .contains("still failing")
          .contains("repeated=2")
          .contains(SECOND_ID);
    }
  }

  @Test
  void logsDifferentMessageAtOnce() {
    try (CapturedLogs logs = new CapturedLogs()) {
      log.failed(timeout(FIRST_ID), START);
      log.failed(
          new PollException(PollErrorReason.NETWORK, "connection refused (request id x)"),
          START.plus(Duration.ofSeconds(30)));

      assertThat(logs.messages(Level.WARN)).hasSize(2);
    }
  }

  @Test
  void countsGrowingAgeOfStaleDocumentAsRepeat() {
    try (CapturedLogs logs = new CapturedLogs()) {
      for (int age = 20; age <= 40; age += 5) {
        log.failed(new PollException(PollErrorReason.STALE_SOURCE, "units.json was generated "
            + age + "s ago, which is longer than poll.stale_after (20s)"),
            START.plusSeconds(age));
      }

      assertThat(logs.messages(Level.WARN)).hasSize(1);
    }
  }
}
