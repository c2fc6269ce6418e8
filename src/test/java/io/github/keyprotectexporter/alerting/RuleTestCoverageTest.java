package io.github.keyprotectexporter.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keyprotectexporter.alerting.RuleFiles.AlertRule;
import io.github.keyprotectexporter.config.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Checks that the promtool unit tests cover every alert the same way: a named case at the for:
 * boundary with every annotation, a lost scrape for state alerts, and the shared negative case.
 */
class RuleTestCoverageTest {

  private static final String BOUNDARY_CASE = " fires at its for: boundary";
  private static final List<String> QUIET_INSTANCES = List.of("healthy", "two-serving");

  private static final JsonNode TESTS = RuleFiles.readYaml(RuleFiles.RULE_TESTS).path("tests");

  static Stream<AlertRule> alerts() {
    return RuleFiles.alerts().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void boundaryCaseChecksIntervalBefore(AlertRule alert) {
    JsonNode test = testNamed(alert.name() + BOUNDARY_CASE);
    Duration interval = Durations.parse(test.path("interval").asText("1m"));
    List<JsonNode> checks = checksOf(test, alert.name());

    JsonNode firstFiring = checks.stream()
        .filter(check -> !check.path("exp_alerts").isEmpty())
        .findFirst()
        .orElseThrow(() -> new AssertionError(alert.name() + " never fires in its case"));
    Duration firingAt = evalTime(firstFiring);

    assertThat(checks)
        .as("an empty check one interval (%s) before %s", interval, firingAt)
        .anySatisfy(check -> {
          assertThat(evalTime(check)).isEqualTo(firingAt.minus(interval));
          assertThat(check.path("exp_alerts").isEmpty()).isTrue();
        });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void boundaryCaseExpectsAllAnnotations(AlertRule alert) {
    JsonNode test = testNamed(alert.name() + BOUNDARY_CASE);

    for (JsonNode check : checksOf(test, alert.name())) {
      for (JsonNode expected : check.path("exp_alerts")) {
        assertThat(expected.path("exp_labels").path("severity").asText())
            .isEqualTo(alert.labels().get("severity"));
        assertThat(expected.path("exp_labels").has("instance")).isTrue();
        assertThat(names(expected.path("exp_annotations")))
            .containsExactlyInAnyOrder("summary", "description", "runbook_url");
        assertThat(expected.path("exp_annotations").path("runbook_url").asText())
            .isEqualTo(alert.annotations().get("runbook_url"));
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void stateAlertKeepsFiringAcrossStaleSample(AlertRule alert) {
    if (alert.keepFiringFor().isZero()) {
      return;
    }
    JsonNode test = testNamed(alert.name() + BOUNDARY_CASE);

    assertThat(test.path("input_series").toString()).contains("stale");
    long firingChecks = checksOf(test, alert.name()).stream()
        .filter(check -> !check.path("exp_alerts").isEmpty())
        .count();
    assertThat(firingChecks).as("checks while firing, one of them after the lost scrape")
        .isGreaterThanOrEqualTo(2);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void negativeCaseKeepsHealthyQuiet(AlertRule alert) {
    JsonNode negative = TESTS.get(0);
    List<JsonNode> checks = checksOf(negative, alert.name());

    assertThat(checks).as("checks of %s in the first case", alert.name()).isNotEmpty();
    for (JsonNode check : checks) {
      for (JsonNode expected : check.path("exp_alerts")) {
        assertThat(expected.path("exp_labels").path("instance_id").asText())
            .isNotIn(QUIET_INSTANCES);
      }
    }
  }

  @Test
  void negativeCaseHasThreeFixtures() {
    String series = TESTS.get(0).path("input_series").toString();

    assertThat(series).contains("instance_id=\\\"healthy\\\"", "instance_id=\\\"two-serving\\\"",
        "instance_id=\\\"zero-units\\\"");
  }

  private static JsonNode testNamed(String name) {
    for (JsonNode test : TESTS) {
      if (test.path("name").asText().equals(name)) {
        return test;
      }
    }
    throw new AssertionError("No promtool test case is named \"" + name + "\" in "
        + RuleFiles.RULE_TESTS);
  }

  private static List<JsonNode> checksOf(JsonNode test, String alertName) {
    List<JsonNode> checks = new ArrayList<>();
    for (JsonNode check : test.path("alert_rule_test")) {
      if (check.path("alertname").asText().equals(alertName)) {
        checks.add(check);
      }
    }
    return checks;
  }

  private static Duration evalTime(JsonNode check) {
    return Optional.ofNullable(check.get("eval_time"))
        .map(JsonNode::asText)
        .map(Durations::parse)
        .orElse(Duration.ZERO);
  }

  private static List<String> names(JsonNode mapping) {
    List<String> names = new ArrayList<>();
    mapping.properties().forEach(entry -> names.add(entry.getKey()));
    return names;
  }
}
