package io.github.keyprotectexporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatedInstanceTest {

  private final SimulatedInstance instance =
      new SimulatedInstance(
          "7f3e9b10-5c2d-4a8e-b1f0-00000000beef",
          "payments-prod",
          "us-south",
          ResponseShape.ARRAY,
          List.of(step(10), step(20), step(30)));

  @Test
  void findsStepByElapsedTime() {
    assertThat(instance.stepIndexAt(seconds(0), true)).isZero();
    assertThat(instance.stepIndexAt(Duration.ofMillis(9_999), true)).isZero();
    assertThat(instance.stepIndexAt(seconds(10), true)).isEqualTo(1);
    assertThat(instance.stepIndexAt(seconds(29), true)).isEqualTo(1);
    assertThat(instance.stepIndexAt(seconds(30), true)).isEqualTo(2);
    assertThat(instance.stepIndexAt(seconds(59), true)).isEqualTo(2);
  }

  @Test
  void loopsAfterLastStep() {
    assertThat(instance.cycleLength()).isEqualTo(seconds(60));
    assertThat(instance.stepIndexAt(seconds(60), true)).isZero();
    assertThat(instance.stepIndexAt(seconds(75), true)).isEqualTo(1);
    assertThat(instance.stepIndexAt(seconds(6_000 + 45), true)).isEqualTo(2);
  }

  @Test
  void staysAtLastStepWithoutLoop() {
    assertThat(instance.stepIndexAt(seconds(60), false)).isEqualTo(2);
    assertThat(instance.stepIndexAt(Duration.ofDays(400), false)).isEqualTo(2);
  }

  @Test
  void treatsNegativeElapsedAsStart() {
    assertThat(instance.stepIndexAt(seconds(-5), true)).isZero();
  }

  @Test
  void rejectsEmptyTimeline() {
    assertThatThrownBy(
            () -> new SimulatedInstance("id", "", "us-south", ResponseShape.ARRAY, List.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("instance id has an empty timeline");
  }

  private static TimelineStep step(long seconds) {
    return new TimelineStep(seconds(seconds), "", List.of(), null);
  }

  private static Duration seconds(long seconds) {
    return Duration.ofSeconds(seconds);
  }
}
