package io.github.keyprotectexporter.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.alerting.RuleFiles.AlertRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks the naming, labels, annotations and timings that every shipped alert shares. */
class AlertRulesTest {

  /** The default poll.interval; every for: spans at least two polls. */
  private static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
  private static final Pattern README_ALERT_ROW =
      Pattern.compile("^\\| `(KeyProtect[A-Za-z]+)` \\| (critical|warning|info) \\|");
  private static final Pattern RUNBOOK_HEADING = Pattern.compile("^## (KeyProtect[A-Za-z]+)$");

  static Stream<AlertRule> alerts() {
    return RuleFiles.alerts().stream();
  }

  @Test
  void shipsTheRequiredAlerts() {
    Map<String, String> severities = new LinkedHashMap<>();
    RuleFiles.alerts()
        .forEach(alert -> severities.put(alert.name(), alert.labels().get("severity")));

    assertThat(severities)
        .containsEntry("KeyProtectNoServingCryptoUnit", "critical")
        .containsEntry("KeyProtectKeyOperationsFailing", "critical")
        .containsEntry("KeyProtectMasterKeyMismatch", "critical")
        .containsEntry("KeyProtectExporterDown", "critical")
        .containsEntry("KeyProtectCryptoUnitInMaintenance", "info")
        .containsEntry("KeyProtectMultipleCryptoUnitsInMaintenance", "warning")
        .containsEntry("KeyProtectCryptoUnitsNotFullyInitialized", "warning")
        .containsEntry("KeyProtectUnknownCryptoUnitState", "warning")
        .containsEntry("KeyProtectTooFewCryptoUnits", "warning")
        .containsEntry("KeyProtectPollFailing", "warning")
        .containsKey("KeyProtectSinglePointOfFailure");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void nameFollowsSubjectConditionPattern(AlertRule alert) {
    assertThat(alert.name()).matches("KeyProtect[A-Z][A-Za-z]+");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void carriesOnlyTheSeverityLabel(AlertRule alert) {
    assertThat(alert.labels()).containsOnlyKeys("severity");
    assertThat(alert.labels().get("severity")).isIn("critical", "warning", "info");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void hasSummaryDescriptionAndRunbook(AlertRule alert) {
    assertThat(alert.annotations()).containsOnlyKeys("summary", "description", "runbook_url");
    assertThat(alert.annotations().get("summary")).doesNotContain("{{").endsWith(".");
    assertThat(alert.annotations().get("runbook_url"))
        .isEqualTo(RuleFiles.RUNBOOKS_URL + "#" + alert.name().toLowerCase(Locale.ROOT));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void descriptionNamesInstanceAndDuration(AlertRule alert) {
    String description = alert.annotations().get("description");

    assertThat(description).contains("$labels.instance");
    assertThat(description).contains("for at least " + inWords(alert.forDuration()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void waitsAtLeastTwoPollIntervals(AlertRule alert) {
    assertThat(alert.forDuration()).isGreaterThanOrEqualTo(DEFAULT_POLL_INTERVAL.multipliedBy(2));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("alerts")
  void stateAlertSurvivesOneLostScrape(AlertRule alert) {
    // Prometheus writes up == 0 for every failed scrape, so that alert needs no bridge.
    if (alert.expr().startsWith("up{")) {
      return;
    }

    assertThat(alert.keepFiringFor()).isGreaterThanOrEqualTo(DEFAULT_POLL_INTERVAL.multipliedBy(2));
  }

  @Test
  void runbooksHaveOneSectionPerAlert() throws IOException {
    List<String> sections =
        Files.readAllLines(Path.of("docs", "runbooks.md")).stream()
            .map(RUNBOOK_HEADING::matcher)
            .filter(Matcher::matches)
            .map(heading -> heading.group(1))
            .toList();

    assertThat(sections)
        .containsExactlyInAnyOrderElementsOf(
            RuleFiles.alerts().stream().map(AlertRule::name).toList());
  }

  @Test
  void readmeTableMatchesAlerts() throws IOException {
    Map<String, String> documented = new LinkedHashMap<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher row = README_ALERT_ROW.matcher(line);
      if (row.find()) {
        documented.put(row.group(1), row.group(2));
      }
    }
    Map<String, String> shipped = new LinkedHashMap<>();
    RuleFiles.alerts().forEach(alert -> shipped.put(alert.name(), alert.labels().get("severity")));

    assertThat(documented).containsExactlyInAnyOrderEntriesOf(shipped);
  }

  /** Writes a duration as the descriptions do: "1 minute", "15 minutes", "1 hour". */
  static String inWords(Duration duration) {
    if (duration.toMinutes() % 60 == 0 && duration.toHours() > 0) {
      long hours = duration.toHours();
      return hours + (hours == 1 ? " hour" : " hours");
    }
    long minutes = duration.toMinutes();
    return minutes + (minutes == 1 ? " minute" : " minutes");
  }
}
