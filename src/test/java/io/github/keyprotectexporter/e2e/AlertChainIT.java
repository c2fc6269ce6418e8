package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keyprotectexporter.alerting.Dashboards;
import io.github.keyprotectexporter.alerting.Dashboards.PanelQuery;
import io.github.keyprotectexporter.alerting.MetricNames;
import io.github.keyprotectexporter.alerting.RequiredTools;
import io.github.keyprotectexporter.alerting.RuleFiles;
import io.github.keyprotectexporter.config.ConfigLoader;
import io.github.keyprotectexporter.config.FileSourceConfig;
import io.github.keyprotectexporter.e2e.ChainProcesses.SimulatedAgent;
import io.github.keyprotectexporter.simulator.BuiltInScenarios;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestInstance.Lifecycle;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The whole alert chain with the real servers: simulator, agent, Prometheus with the shipped
 * rules, and Alertmanager with the shipped routes and inhibitions, posting to a webhook receiver
 * owned by this test.
 *
 * <p>The shipped rules run with every for: and keep_firing_for: divided by 30 (see
 * {@link ChainConfigs#shortenRules}), because the chain polls, scrapes and evaluates every second
 * instead of every 30 s. Alertmanager groups and flushes within a second. The scenario's cases
 * heal after 75 s, so the tests run in order: alerts fire, then resolve. One more agent reads the
 * units of the built-in master-key-check-values scenario from the adapter file that its simulator
 * writes.
 */
@TestInstance(Lifecycle.PER_CLASS)
@TestMethodOrder(OrderAnnotation.class)
class AlertChainIT {

  private static final String HEALTHY = "0a1e2e00-0000-4000-8000-00000000a001";
  private static final String SINGLE = "0a1e2e00-0000-4000-8000-00000000a002";
  private static final String MAINTENANCE = "0a1e2e00-0000-4000-8000-00000000a003";
  private static final String MISMATCH_SCENARIO = "master-key-mismatch";
  private static final String CHECK_VALUES_SCENARIO = "master-key-check-values";
  /** The instance of that scenario, whose third unit gets another master key 30 s after start. */
  private static final String CHECK_VALUES_INSTANCE = "5e0d2c7a-41b8-4f96-9d3e-00000000d1ff";
  private static final Path SCENARIO = Path.of("src/test/resources/e2e/alert-chain.yaml");
  private static final Path LOGS = Path.of("target", "alert-chain-it");
  private static final Duration NOTIFICATION_TIMEOUT = Duration.ofMinutes(3);

  /** One poll a second; units serve as soon as they are kms-initialized. */
  private static final Map<String, Object> CHAIN_POLL = Map.of(
      "interval", "1s", "timeout", "1s", "stale_after", "3s", "warm_up", "0s", "concurrency", 4);

  private Path work;
  private AlertWebhookReceiver receiver;
  private ChainProcesses processes;
  private SimulatedAgent chainAgent;
  private SimulatedAgent mismatchAgent;
  private SimulatedAgent checkValuesAgent;
  private PrometheusHttpApi prometheus;
  private PrometheusHttpApi alertmanager;

  @BeforeAll
  void startChain() throws Exception {
    Path prometheusBinary = RequiredTools.prometheus();
    Path alertmanagerBinary = RequiredTools.alertmanager();
    work = Files.createTempDirectory("alert-chain-");
    receiver = new AlertWebhookReceiver();
    processes = new ChainProcesses(work, Path.of(System.getProperty("exporter.jar",
        "target/keyprotect-exporter.jar")));

    chainAgent = processes.startSimulatorAndAgent("chain", SCENARIO.toAbsolutePath().toString(),
        CHAIN_POLL);
    List<String> targets = new ArrayList<>(List.of(chainAgent.target()));
    if (BuiltInScenarios.names().contains(MISMATCH_SCENARIO)) {
      mismatchAgent = processes.startSimulatorAndAgent("mismatch", MISMATCH_SCENARIO, null);
      targets.add(mismatchAgent.target());
    }
    Path alertmanagerConfig = ChainConfigs.alertmanagerConfig(Path.of("deploy/alertmanager.yml"),
        work.resolve("alertmanager.yml"), receiver::urlFor);
    alertmanager = processes.startAlertmanager(alertmanagerBinary, alertmanagerConfig);
    // Started last, so that the rules are loaded well within the 30 s in which its units agree.
    checkValuesAgent = processes.startAdapterFileSimulatorAndAgent("check-values",
        CHECK_VALUES_SCENARIO, CHAIN_POLL);
    targets.add(checkValuesAgent.target());

    // Rules are loaded only once every target is up: absent(up) would otherwise fire
    // KeyProtectExporterDown before the first scrape, and it mutes every other alert of the job.
    Path prometheusConfig = work.resolve("prometheus.yml");
    ChainConfigs.prometheusConfig(prometheusConfig, targets, alertmanager.port(), null);
    prometheus = processes.startPrometheus(prometheusBinary, prometheusConfig);
    await().atMost(Duration.ofMinutes(1)).alias("every target scraped")
        .until(() -> resultSize("up{job=\"keyprotect-exporter\"} == 1") == targets.size());
    Path rules = ChainConfigs.shortenRules(RuleFiles.RULES, work.resolve("rules.yml"));
    ChainConfigs.prometheusConfig(prometheusConfig, targets, alertmanager.port(), rules);
    assertThat(prometheus.post("/-/reload", "text/plain", "").status()).isEqualTo(200);
    await().atMost(Duration.ofSeconds(30)).alias("rules loaded")
        .until(() -> prometheus.get("/api/v1/rules").body().contains("KeyProtectExporterDown"));
  }

  @AfterAll
  void stopChain() throws Exception {
    if (processes != null) {
      processes.close();
    }
    if (receiver != null) {
      receiver.close();
    }
    if (work != null) {
      ChainLogs.keep(work, LOGS);
    }
  }

  @Test
  @Order(1)
  void differingCheckValuesInAdapterFilePage() throws Exception {
    assertThat(new ConfigLoader().load(checkValuesAgent.config()).instances())
        .as("instances of the config after its poll section was replaced").singleElement()
        .satisfies(instance -> assertThat(instance.source()).isInstanceOf(FileSourceConfig.class));
    String selector = "{instance_id=\"" + CHECK_VALUES_INSTANCE + "\"}";
    await().atMost(Duration.ofMinutes(1)).alias("rules evaluated on " + CHECK_VALUES_INSTANCE)
        .until(() -> resultSize("keyprotect:instance_crypto_units:sum" + selector) == 1);

    assertThat(sampleValues("keyprotect_instance_master_key_check_values" + selector))
        .as("distinct check values before the third unit changes, 30 s after the start")
        .containsExactly("1");
    assertThat(resultSize("ALERTS{alertname=\"KeyProtectMasterKeyMismatch\"}"))
        .as("pending or firing mismatch alerts while the check values agree").isZero();

    awaitNotification("pager", "firing", "KeyProtectMasterKeyMismatch", CHECK_VALUES_INSTANCE);

    // The first 8 hex digits of the SHA-256 of the check values 9a3f0c and e51d77.
    assertThat(hashesByUnit("keyprotect_crypto_unit_master_key_info" + selector)).containsExactly(
        "8b3f1e20-6c4d-4a7b-9e12-0000000000d1 9bffc0be",
        "8b3f1e20-6c4d-4a7b-9e12-0000000000d2 9bffc0be",
        "8b3f1e20-6c4d-4a7b-9e12-0000000000d3 b82836ee");
  }

  @Test
  @Order(2)
  void singlePointOfFailureReachesWorkQueue() {
    awaitNotification("work-queue", "firing", "KeyProtectSinglePointOfFailure", SINGLE);
  }

  @Test
  @Order(3)
  void lastServingUnitInMaintenancePages() {
    awaitNotification("pager", "firing", "KeyProtectNoServingCryptoUnit", MAINTENANCE);

    assertThat(receiver.matching(alert -> alert.label("instance_id").equals(MAINTENANCE)
        && alert.label("alertname").equals("KeyProtectSinglePointOfFailure"))).isEmpty();
  }

  @Test
  @Order(4)
  void masterKeyMismatchPagesKeyOperationsFailing() {
    Assumptions.assumeTrue(mismatchAgent != null, "Skipped: this build has no built-in scenario "
        + MISMATCH_SCENARIO + " (it comes with the key probe), so there is no mismatch to see");

    await().atMost(Duration.ofMinutes(4)).alias("KeyProtectKeyOperationsFailing from "
        + mismatchAgent.target()).until(() -> !receiver.matching(alert ->
            alert.receiver().equals("pager") && alert.firing()
                && alert.label("alertname").equals("KeyProtectKeyOperationsFailing")
                && alert.label("instance").equals(mismatchAgent.target())).isEmpty());
  }

  @Test
  @Order(5)
  void alertsResolveWhenScenariosHeal() {
    awaitNotification("work-queue", "resolved", "KeyProtectSinglePointOfFailure", SINGLE);
    awaitNotification("pager", "resolved", "KeyProtectNoServingCryptoUnit", MAINTENANCE);
  }

  @Test
  @Order(6)
  void healthyInstanceRaisesNothing() throws Exception {
    assertThat(receiver.matching(alert -> alert.label("instance_id").equals(HEALTHY))).isEmpty();
    assertThat(resultSize("ALERTS{instance_id=\"" + HEALTHY + "\"}")).isZero();
    assertThat(resultSize("ALERTS{alertname=\"KeyProtectExporterDown\"}")).isZero();
  }

  @Test
  @Order(7)
  void everyDashboardQuerySucceeds() throws Exception {
    Set<String> produced = producedMetrics();
    List<String> problems = new ArrayList<>();

    for (PanelQuery query : Dashboards.allQueries()) {
      String promql = substituteVariables(query.expr());
      PrometheusHttpApi.Response response = prometheus.query(promql);
      JsonNode answer = response.json();
      boolean scenarioProducesMetrics = produced.containsAll(MetricNames.exportedBehind(promql));
      if (response.status() != 200 || !answer.path("status").asText().equals("success")) {
        problems.add(query + ": " + response.body());
      } else if (scenarioProducesMetrics && answer.path("data").path("result").isEmpty()) {
        problems.add(query + ": empty result for " + promql);
      }
    }

    assertThat(problems).isEmpty();
  }

  @Test
  @Order(8)
  void shippedInhibitionsMuteAlerts() throws Exception {
    InhibitionCheck check = new InhibitionCheck(alertmanager, receiver);

    check.postAlerts();

    await().atMost(Duration.ofMinutes(1)).alias("unmuted alerts delivered")
        .until(check::unmutedAlertsDelivered);
    // The muted alerts were posted with the others, so a few group intervals more are enough.
    Thread.sleep(3_000);
    assertThat(check.mutedAlertsDelivered()).isEmpty();
  }

  private void awaitNotification(String route, String status, String alertname, String id) {
    await().atMost(NOTIFICATION_TIMEOUT).alias(status + " " + alertname + " for " + id + " on "
        + route).until(() -> receiver.received(route, status, alertname, "instance_id", id));
  }

  private int resultSize(String promql) throws Exception {
    return prometheus.query(promql).json().path("data").path("result").size();
  }

  /** Returns the value of every series that {@code promql} selects, as Prometheus writes it. */
  private List<String> sampleValues(String promql) throws Exception {
    List<String> values = new ArrayList<>();
    for (JsonNode series : prometheus.query(promql).json().path("data").path("result")) {
      values.add(series.path("value").path(1).asText());
    }
    return values;
  }

  /** Returns "crypto_unit_id check_value_hash" of every master-key info series, sorted. */
  private List<String> hashesByUnit(String promql) throws Exception {
    List<String> units = new ArrayList<>();
    for (JsonNode series : prometheus.query(promql).json().path("data").path("result")) {
      JsonNode labels = series.path("metric");
      units.add(labels.path("crypto_unit_id").asText() + " "
          + labels.path("check_value_hash").asText());
    }
    return units.stream().sorted().toList();
  }

  /** Returns the metric names on the agents' /metrics pages, as Prometheus stores them. */
  private Set<String> producedMetrics() throws Exception {
    Set<String> names = new TreeSet<>();
    List<SimulatedAgent> agents = new ArrayList<>(List.of(chainAgent, checkValuesAgent));
    if (mismatchAgent != null) {
      agents.add(mismatchAgent);
    }
    for (SimulatedAgent agent : agents) {
      String page = new PrometheusHttpApi(agent.port()).get("/metrics").body();
      page.lines().filter(line -> !line.startsWith("#") && !line.isBlank())
          .map(line -> line.split("[{ ]", 2)[0]).forEach(names::add);
    }
    return names;
  }

  /** Replaces Grafana's variables by values that select every instance of the chain's job. */
  private static String substituteVariables(String expr) {
    String result = expr
        .replace("$job", "keyprotect-exporter")
        .replace("$instance_id", ".+")
        .replace("$__rate_interval", "1m");
    assertThat(result).as("variables left in %s", expr).doesNotContain("$");
    return result;
  }
}
