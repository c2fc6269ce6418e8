package io.github.keyprotectexporter.simulator;

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

class ScenarioPlayerTest {

  private static final String SCENARIO =
      """
      name: steps
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          name: payments-prod
          region: us-south
          timeline:
            - {duration: 10s, description: Healthy., units: []}
            - {duration: 10s, description: Unit 2 in maintenance., units: []}
      """;

  private final Logger playerLogger = (Logger) LoggerFactory.getLogger(ScenarioPlayer.class);
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();
  private final MutableClock clock = new MutableClock(Instant.parse("2026-03-01T12:00:00Z"));
  private final ScenarioPlayer player =
      new ScenarioPlayer(ScenarioLoader.parse(SCENARIO, "steps.yaml"), clock);

  @BeforeEach
  void captureLog() {
    appender.start();
    playerLogger.addAppender(appender);
  }

  @AfterEach
  void releaseLog() {
    playerLogger.detachAppender(appender);
  }

  @Test
  void logsFirstStepAtStart() {
    player.start();

    assertThat(messages())
        .containsExactly(
            "Simulated instance 7f3e9b10-5c2d-4a8e-b1f0-00000000beef (payments-prod) entered "
                + "step 1/2: Healthy.");
  }

  @Test
  void logsEachStepOnceWhenEntered() {
    player.start();
    clock.advance(Duration.ofSeconds(10));

    player.announceSteps();
    player.announceSteps();
    clock.advance(Duration.ofSeconds(10));
    player.announceSteps();

    assertThat(messages())
        .extracting(message -> message.substring(message.indexOf("step")))
        .containsExactly(
            "step 1/2: Healthy.", "step 2/2: Unit 2 in maintenance.", "step 1/2: Healthy.");
  }

  @Test
  void reportsElapsedScenarioTime() {
    assertThat(player.elapsed()).isZero();
    player.start();

    clock.advance(Duration.ofSeconds(7));

    assertThat(player.elapsed()).isEqualTo(Duration.ofSeconds(7));
  }

  private List<String> messages() {
    return appender.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
  }
}
