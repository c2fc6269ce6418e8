package io.github.keyprotectexporter.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.alerting.Dashboards.PanelQuery;
import io.github.keyprotectexporter.alerting.RuleFiles.RecordingRule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * Checks that every metric an alert, a recording rule or a dashboard reads is one the agent
 * exports. The exported names come from the README's metrics table, which
 * ReadmeMetricsTableTest keeps equal to the metrics the agent registers.
 */
class ExportedMetricsTest {

  private static final Pattern README_METRIC_ROW =
      Pattern.compile("^\\| `(keyprotect_[a-z_]+)` \\| (gauge|counter|histogram) \\|");

  /**
   * Metrics that the rules and dashboards read before the agent exports them, grouped by the
   * feature that adds them. A group may be missing only as a whole: once one of its metrics is
   * exported, a misspelt sibling fails this test.
   */
  private static final List<Set<String>> AWAITED_FEATURES = List.of(
      Set.of(
          "keyprotect_kms_probe_success",
          "keyprotect_kms_probe_duration_seconds",
          "keyprotect_kms_probe_failures_total"),
      Set.of("keyprotect_instance_master_key_check_values"));

  @Test
  void alertsReadOnlyExportedMetrics() throws IOException {
    Set<String> used = new TreeSet<>();
    RuleFiles.alerts().forEach(alert -> {
      used.addAll(MetricNames.in(alert.expr()));
      alert.annotations().values().forEach(text -> used.addAll(MetricNames.in(text)));
    });

    assertKnown(used);
  }

  @Test
  void recordingRulesReadOnlyExportedMetrics() throws IOException {
    Set<String> used = new TreeSet<>();
    RuleFiles.recordingRules().forEach(rule -> used.addAll(MetricNames.in(rule.expr())));

    assertKnown(used);
  }

  @Test
  void dashboardsReadOnlyExportedOrRecordedMetrics() throws IOException {
    Set<String> used = new TreeSet<>();
    for (PanelQuery query : Dashboards.allQueries()) {
      used.addAll(MetricNames.in(query.expr()));
    }
    Dashboards.all().forEach(dashboard -> dashboard.json().path("templating").path("list")
        .forEach(variable -> used.addAll(MetricNames.in(variable.path("definition").asText()))));

    assertKnown(used);
  }

  @Test
  void recordedNamesFollowTheKeyprotectPrefix() {
    for (RecordingRule rule : RuleFiles.recordingRules()) {
      assertThat(rule.record()).matches("keyprotect:[a-z_]+:(sum|count)");
    }
  }

  @Test
  void findsNamesInPromql() {
    Set<String> names = MetricNames.in(
        "sum by (job) (keyprotect_up{instance_id=~\"$instance_id\"} == bool 0)"
            + " / keyprotect:fleet_instances:count");

    assertThat(names).containsExactly("keyprotect:fleet_instances:count", "keyprotect_up");
  }

  private static void assertKnown(Set<String> used) throws IOException {
    Set<String> exported = readmeMetrics();
    Set<String> recorded = RuleFiles.recordingRules().stream()
        .map(RecordingRule::record).collect(Collectors.toSet());
    Set<String> awaited = awaitedMetrics(exported);

    Set<String> unknown = new TreeSet<>(used);
    unknown.removeAll(exported);
    unknown.removeAll(recorded);
    unknown.removeAll(awaited);

    assertThat(unknown).as("metrics neither exported (README table) nor recorded").isEmpty();
  }

  /** Returns the awaited metrics of every feature of which no metric is exported yet. */
  private static Set<String> awaitedMetrics(Set<String> exported) {
    Set<String> awaited = new TreeSet<>();
    for (Set<String> feature : AWAITED_FEATURES) {
      if (feature.stream().noneMatch(exported::contains)) {
        awaited.addAll(feature);
      }
    }
    return awaited;
  }

  private static Set<String> readmeMetrics() throws IOException {
    Set<String> names = new TreeSet<>();
    for (String line : Files.readAllLines(Path.of("README.md"))) {
      Matcher row = README_METRIC_ROW.matcher(line);
      if (row.find()) {
        names.add(row.group(1));
      }
    }
    assertThat(names).as("metrics table of README.md").contains("keyprotect_up");
    return names;
  }
}
