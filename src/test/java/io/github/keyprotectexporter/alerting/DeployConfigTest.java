package io.github.keyprotectexporter.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keyprotectexporter.config.ConfigLoader;
import io.github.keyprotectexporter.config.ExporterConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * Validates the deployment examples in {@code deploy/} with the real promtool and amtool, and the
 * parts that no tool here checks (Docker Compose, Grafana provisioning) by their structure.
 */
class DeployConfigTest {

  private static final Path DEPLOY = Path.of("deploy");
  private static final Path PROMETHEUS_YML = DEPLOY.resolve("prometheus.yml");
  private static final Path ALERTMANAGER_YML = DEPLOY.resolve("alertmanager.yml");
  private static final Path COMPOSE_YML = DEPLOY.resolve("docker-compose.yml");

  @Nested
  class Prometheus {

    @Test
    void configPassesPromtoolCheck() {
      CommandRun run = CommandRun.of(Path.of("."), RequiredTools.promtool(), "check", "config",
          PROMETHEUS_YML);

      assertThat(run.exitCode()).as(run.describe()).isZero();
    }

    @Test
    void loadsTheShippedRuleFile() {
      JsonNode config = RuleFiles.readYaml(PROMETHEUS_YML);

      assertThat(config.path("rule_files")).hasSize(1);
      Path ruleFile = DEPLOY.resolve(config.path("rule_files").get(0).asText()).normalize();
      assertThat(ruleFile).isEqualTo(RuleFiles.RULES);
    }

    @Test
    void scrapeJobMatchesExporterDownSelector() {
      JsonNode job = RuleFiles.readYaml(PROMETHEUS_YML).path("scrape_configs").get(0);
      String exporterDown = RuleFiles.alerts().stream()
          .filter(alert -> alert.name().equals("KeyProtectExporterDown"))
          .findFirst().orElseThrow().expr();

      assertThat(exporterDown).contains("job=\"" + job.path("job_name").asText() + "\"");
    }
  }

  @Nested
  class Alertmanager {

    @Test
    void configPassesAmtoolCheck() {
      CommandRun run = CommandRun.of(Path.of("."), RequiredTools.amtool(), "check-config",
          ALERTMANAGER_YML);

      assertThat(run.exitCode()).as(run.describe()).isZero();
    }

    @Test
    void routesCriticalToPager() {
      assertThat(receiverFor("critical")).isEqualTo("pager");
    }

    @Test
    void routesWarningToWorkQueue() {
      assertThat(receiverFor("warning")).isEqualTo("work-queue");
    }

    @Test
    void routesInfoToContextOnly() {
      assertThat(receiverFor("info")).isEqualTo("context");
      JsonNode context = receiver("context");
      assertThat(context.has("webhook_configs")).as("info notifies nobody").isFalse();
    }

    @Test
    void noServingUnitMutesSinglePointOfFailure() {
      JsonNode rule = inhibitRuleFrom("KeyProtectNoServingCryptoUnit");

      assertThat(rule.path("target_matchers").toString())
          .contains("alertname=\\\"KeyProtectSinglePointOfFailure\\\"");
      assertThat(rule.path("equal").toString()).contains("\"instance_id\"");
    }

    @Test
    void exporterDownMutesAlertsOfItsJob() {
      JsonNode rule = inhibitRuleFrom("KeyProtectExporterDown");

      assertThat(rule.path("target_matchers").toString())
          .contains("alertname=~\\\"KeyProtect.+\\\"")
          .contains("alertname!=\\\"KeyProtectExporterDown\\\"");
      assertThat(rule.path("equal").toString()).isEqualTo("[\"job\"]");
    }

    private String receiverFor(String severity) {
      CommandRun run = CommandRun.of(Path.of("."), RequiredTools.amtool(), "config", "routes",
          "test", "--config.file=" + ALERTMANAGER_YML, "alertname=KeyProtectExample",
          "severity=" + severity);
      assertThat(run.exitCode()).as(run.describe()).isZero();
      List<String> lines = run.output().lines()
          .filter(line -> !line.startsWith("Warning:")).map(String::strip).toList();
      assertThat(lines).as(run.describe()).hasSize(1);
      return lines.get(0);
    }

    private JsonNode receiver(String name) {
      for (JsonNode receiver : RuleFiles.readYaml(ALERTMANAGER_YML).path("receivers")) {
        if (receiver.path("name").asText().equals(name)) {
          return receiver;
        }
      }
      throw new AssertionError("No receiver named " + name + " in " + ALERTMANAGER_YML);
    }

    private JsonNode inhibitRuleFrom(String alertName) {
      for (JsonNode rule : RuleFiles.readYaml(ALERTMANAGER_YML).path("inhibit_rules")) {
        if (rule.path("source_matchers").toString()
            .contains("alertname=\\\"" + alertName + "\\\"")) {
          return rule;
        }
      }
      throw new AssertionError("No inhibit rule has " + alertName + " as its source");
    }
  }

  @Nested
  class Compose {

    private final JsonNode services = RuleFiles.readYaml(COMPOSE_YML).path("services");

    @Test
    void startsTheWholeChain() {
      List<String> names = new ArrayList<>();
      services.properties().forEach(entry -> names.add(entry.getKey()));

      assertThat(names).containsExactlyInAnyOrder(
          "simulator", "keyprotect-exporter", "prometheus", "alertmanager", "grafana");
    }

    @Test
    void publishesPortsOnLoopbackOnly() {
      services.properties().forEach(service -> {
        for (JsonNode port : service.getValue().path("ports")) {
          assertThat(port.asText()).as("port of %s", service.getKey()).startsWith("127.0.0.1:");
        }
      });
    }

    @Test
    void mountsFilesThatExist() {
      services.properties().forEach(service -> {
        for (JsonNode volume : service.getValue().path("volumes")) {
          Path source = DEPLOY.resolve(volume.asText().split(":")[0]).normalize();
          assertThat(source).as("volume of %s", service.getKey()).exists();
        }
      });
    }

    @Test
    void prometheusFindsMountedRules() {
      JsonNode prometheus = services.path("prometheus");
      Path configInContainer = Path.of(mountTarget(prometheus, "./prometheus.yml"));
      String ruleFile = RuleFiles.readYaml(PROMETHEUS_YML).path("rule_files").get(0).asText();
      Path rulesInContainer = configInContainer.getParent().resolve(ruleFile).normalize();

      assertThat(prometheus.path("command").toString())
          .contains("--config.file=" + configInContainer);
      assertThat(rulesInContainer.getParent().toString())
          .isEqualTo(mountTarget(prometheus, "../alerts"));
    }

    @Test
    void alertmanagerStaysOffTheClusterPort() {
      assertThat(services.path("alertmanager").path("command").toString())
          .contains("\"--cluster.listen-address=\"");
    }

    @Test
    void grafanaLoadsTheDashboardsFolder() {
      Path providers = DEPLOY.resolve("grafana/provisioning/dashboards/keyprotect.yml");
      JsonNode provider = RuleFiles.readYaml(providers).path("providers").get(0);

      assertThat(provider.path("type").asText()).isEqualTo("file");
      assertThat(provider.path("options").path("path").asText())
          .isEqualTo(mountTarget(services.path("grafana"), "../dashboards"));
    }

    @Test
    void grafanaDatasourcePointsAtPrometheusService() {
      JsonNode datasource = RuleFiles.readYaml(
          DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"))
          .path("datasources").get(0);

      assertThat(datasource.path("type").asText()).isEqualTo("prometheus");
      assertThat(datasource.path("url").asText()).isEqualTo("http://prometheus:9090");
    }

    @Test
    void exporterConfigPointsAtSimulator() throws Exception {
      ExporterConfig config = new ConfigLoader().load(DEPLOY.resolve("keyprotect-exporter.yml"));

      assertThat(config.instances()).isNotEmpty();
      config.instances().forEach(instance ->
          assertThat(instance.endpoint().toString()).isEqualTo("http://simulator:9796"));
      assertThat(services.path("simulator").path("command").toString())
          .contains("--listen-address=0.0.0.0:9796");
      assertThat(Files.readString(COMPOSE_YML)).contains("./keyprotect-exporter.yml:");
    }

    private String mountTarget(JsonNode service, String source) {
      for (JsonNode volume : service.path("volumes")) {
        String[] parts = volume.asText().split(":");
        if (parts[0].equals(source)) {
          return parts[1];
        }
      }
      throw new AssertionError("No volume mounts " + source + " in " + service);
    }
  }
}
