package io.github.keyprotectexporter.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keyprotectexporter.alerting.Dashboards.Dashboard;
import io.github.keyprotectexporter.alerting.Dashboards.PanelQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Checks the structure that Grafana file provisioning and the README promise. */
class DashboardsTest {

  /** Grafana 10.4 writes this schema version; newer Grafana migrates it on load. */
  private static final int SCHEMA_VERSION = 39;
  private static final String DATASOURCE = "${datasource}";

  static Stream<Dashboard> dashboards() {
    return Dashboards.all().stream();
  }

  static Stream<PanelQuery> queries() {
    return Dashboards.allQueries().stream();
  }

  @Test
  void shipsFleetOverviewAndInstanceDrillDown() {
    assertThat(Dashboards.all()).extracting(Dashboard::uid)
        .containsExactlyInAnyOrder("keyprotect-fleet", "keyprotect-instance");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void hasFixedUidAndSchema(Dashboard dashboard) {
    JsonNode json = dashboard.json();

    assertThat(dashboard.uid()).matches("[a-z0-9-]{1,40}");
    assertThat(json.path("title").asText()).isNotBlank();
    assertThat(json.path("schemaVersion").asInt()).isEqualTo(SCHEMA_VERSION);
    assertThat(json.has("id")).as("a provisioned dashboard has no database id").isFalse();
    assertThat(json.path("tags")).isNotEmpty();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void hasNoImportInputs(Dashboard dashboard) throws IOException {
    String text = Files.readString(dashboard.file());

    assertThat(dashboard.json().has("__inputs")).isFalse();
    assertThat(dashboard.json().has("__requires")).isFalse();
    assertThat(text).doesNotContain("${DS_");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void declaresRequiredVariables(Dashboard dashboard) {
    JsonNode variables = dashboard.json().path("templating").path("list");

    assertThat(variables).extracting(variable -> variable.path("name").asText())
        .containsExactly("datasource", "job", "instance_id");
    JsonNode datasource = variables.get(0);
    assertThat(datasource.path("type").asText()).isEqualTo("datasource");
    assertThat(datasource.path("query").asText()).isEqualTo("prometheus");
    for (JsonNode variable : variables) {
      assertThat(variable.path("current").isEmpty())
          .as("variable %s has no saved selection", variable.path("name").asText())
          .isTrue();
      if (variable.path("type").asText().equals("query")) {
        assertThat(variable.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dashboards")
  void panelsHaveUnitAndDescription(Dashboard dashboard) {
    Set<Integer> ids = new HashSet<>();
    for (JsonNode panel : dashboard.panels()) {
      String title = panel.path("title").asText();

      assertThat(title).isNotBlank();
      assertThat(ids.add(panel.path("id").asInt())).as("unique id of %s", title).isTrue();
      assertThat(panel.path("description").asText()).as("description of %s", title).isNotBlank();
      assertThat(panel.path("fieldConfig").path("defaults").path("unit").asText())
          .as("unit of %s", title).isNotBlank();
      assertThat(panel.path("datasource").path("uid").asText()).as("datasource of %s", title)
          .isEqualTo(DATASOURCE);
      assertThat(panel.path("gridPos").path("w").asInt()).as("width of %s", title).isPositive();
      assertThat(panel.path("targets")).as("queries of %s", title).isNotEmpty();
      for (JsonNode target : panel.path("targets")) {
        assertThat(target.path("datasource").path("uid").asText()).isEqualTo(DATASOURCE);
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("queries")
  void queryFiltersByVariables(PanelQuery query) {
    // Fleet totals come from recording rules that are aggregated per job.
    boolean fleetTotal = query.expr().contains("keyprotect:fleet_");

    assertThat(query.expr()).contains("job=~\"$job\"");
    if (!fleetTotal) {
      assertThat(query.expr()).contains("instance_id=~\"$instance_id\"");
    }
  }

  @Test
  void fleetOverviewCoversRequiredColumns() {
    Dashboard fleet = Dashboards.all().stream()
        .filter(dashboard -> dashboard.uid().equals("keyprotect-fleet")).findFirst().orElseThrow();
    List<String> exprs = fleet.queries().stream().map(PanelQuery::expr).toList();

    assertThat(String.join("\n", exprs)).contains(
        "keyprotect_instance_ready", "keyprotect_instance_serving_units",
        "keyprotect:fleet_instances_single_serving_unit:sum", "state=\"maintenance\"",
        "keyprotect_kms_probe_success");
  }

  @Test
  void instanceDrillDownCoversRequiredPanels() {
    Dashboard instance = Dashboards.all().stream()
        .filter(dashboard -> dashboard.uid().equals("keyprotect-instance")).findFirst()
        .orElseThrow();
    String exprs = String.join("\n", instance.queries().stream().map(PanelQuery::expr).toList());

    assertThat(exprs).contains(
        "keyprotect_crypto_unit_state{", "keyprotect_crypto_units{", "keyprotect_up{",
        "keyprotect_poll_errors_total{", "keyprotect_kms_probe_success{",
        "keyprotect_api_requests_total{");
  }
}
