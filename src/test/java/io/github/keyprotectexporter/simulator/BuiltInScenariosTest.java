package io.github.keyprotectexporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.keyprotectexporter.model.CryptoUnitState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class BuiltInScenariosTest {

  private static final Pattern GUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Set<String> REGIONS = Set.of("us-south", "us-east", "eu-de", "eu-es");

  static List<String> names() {
    return BuiltInScenarios.names();
  }

  @ParameterizedTest
  @MethodSource("names")
  void loadsUnderItsOwnName(String name) {
    Scenario scenario = BuiltInScenarios.load(name);

    assertThat(scenario.name()).isEqualTo(name);
    assertThat(scenario.description()).isNotBlank();
  }

  @ParameterizedTest
  @MethodSource("names")
  void usesRealisticIdsAndRegions(String name) {
    for (SimulatedInstance instance : BuiltInScenarios.load(name).instances()) {
      assertThat(instance.id()).matches(GUID);
      assertThat(instance.name()).isNotBlank();
      assertThat(instance.region()).isIn(REGIONS);
      for (TimelineStep step : instance.timeline()) {
        assertThat(step.description()).isNotBlank();
        assertThat(step.units()).allSatisfy(unit -> assertThat(unit.id()).matches(GUID));
      }
    }
  }

  @ParameterizedTest
  @MethodSource("names")
  void maintenanceAffectsOneUnitAtMost(String name) {
    for (SimulatedInstance instance : BuiltInScenarios.load(name).instances()) {
      for (TimelineStep step : instance.timeline()) {
        long inMaintenance = count(step, CryptoUnitState.MAINTENANCE);
        assertThat(inMaintenance).as(instance.name() + ": " + step.description()).isLessThan(2);
      }
    }
  }

  @Test
  void healthyServesWithEveryUnit() {
    Scenario scenario = BuiltInScenarios.load("healthy");

    assertThat(scenario.instances()).hasSizeBetween(2, 3);
    for (SimulatedInstance instance : scenario.instances()) {
      for (TimelineStep step : instance.timeline()) {
        assertThat(step.fault()).isNull();
        assertThat(step.units()).hasSizeBetween(2, 3);
        assertThat(count(step, CryptoUnitState.KMS_INITIALIZED)).isEqualTo(step.units().size());
      }
    }
  }

  @Test
  void singlePointHasOneServingUnit() {
    Scenario scenario = BuiltInScenarios.load("single-point-of-failure");

    TimelineStep step = scenario.instances().get(0).timeline().get(0);
    assertThat(count(step, CryptoUnitState.KMS_INITIALIZED)).isEqualTo(1);
    assertThat(step.units()).hasSizeGreaterThan(1);
  }

  @Test
  void maintenanceTakesOnlyServingUnitOnce() {
    Scenario scenario = BuiltInScenarios.load("maintenance");

    boolean outage =
        scenario.instances().stream()
            .flatMap(instance -> instance.timeline().stream())
            .anyMatch(
                step ->
                    count(step, CryptoUnitState.MAINTENANCE) == 1
                        && count(step, CryptoUnitState.KMS_INITIALIZED) == 0);
    assertThat(outage).isTrue();
  }

  @Test
  void initializingWalksThroughSetUpStates() {
    SimulatedInstance instance = BuiltInScenarios.load("initializing").instances().get(0);

    List<String> states =
        instance.timeline().stream()
            .flatMap(step -> step.units().stream())
            .map(SimulatedUnit::state)
            .distinct()
            .toList();
    assertThat(states)
        .containsExactly(
            "reserved", "claimed", "initialized", "kms-authorized", "kms-initialized");
    TimelineStep last = instance.timeline().get(instance.timeline().size() - 1);
    assertThat(count(last, CryptoUnitState.KMS_INITIALIZED)).isEqualTo(3);
  }

  @Test
  void apiOutageFailsThenRecovers() {
    List<TimelineStep> timeline = BuiltInScenarios.load("api-outage").instances().get(0).timeline();

    List<Fault> faults = timeline.stream().map(TimelineStep::fault).toList();
    assertThat(faults.get(1).status()).isEqualTo(503);
    assertThat(faults.get(1).contentType()).isEqualTo("text/plain");
    assertThat(faults.get(1).body()).isEqualTo("no healthy upstream");
    assertThat(faults.get(2).status()).isEqualTo(502);
    assertThat(faults.get(2).contentType()).isEqualTo("text/html");
    assertThat(faults.get(3).status()).isEqualTo(500);
    assertThat(faults.get(3).body()).contains("application/vnd.ibm.kms.error+json");
    assertThat(faults.get(faults.size() - 1)).isNull();
  }

  @Test
  void masterKeyMismatchFailsKeyApiWhileUnitsServe() {
    List<TimelineStep> timeline =
        BuiltInScenarios.load("master-key-mismatch").instances().get(0).timeline();

    for (TimelineStep step : timeline) {
      assertThat(step.fault()).isNull();
      assertThat(step.units()).hasSize(3);
      assertThat(count(step, CryptoUnitState.KMS_INITIALIZED)).isEqualTo(3);
    }
    assertThat(timeline.get(0).keyApiFault()).isNull();
    assertThat(timeline.get(1).keyApiFault().status()).isEqualTo(500);
    assertThat(timeline.get(1).keyApiFault().body())
        .contains("application/vnd.ibm.kms.error+json");
    assertThat(timeline.get(2).keyApiFault().status()).isEqualTo(503);
    assertThat(timeline.get(2).keyApiFault().body()).isEqualTo("no healthy upstream");
    assertThat(timeline.get(timeline.size() - 1).keyApiFault()).isNull();
  }

  @Test
  void demoShowsMasterKeyMismatch() {
    boolean mismatch =
        BuiltInScenarios.load(BuiltInScenarios.DEMO).instances().stream()
            .flatMap(instance -> instance.timeline().stream())
            .anyMatch(
                step ->
                    step.keyApiFault() != null
                        && step.keyApiFault().status() == 503
                        && count(step, CryptoUnitState.KMS_INITIALIZED) == step.units().size());
    assertThat(mismatch).isTrue();
  }

  @Test
  void demoLoopsWithinThreeMinutes() {
    Scenario scenario = BuiltInScenarios.load(BuiltInScenarios.DEMO);

    assertThat(scenario.loop()).isTrue();
    assertThat(scenario.instances()).hasSizeGreaterThanOrEqualTo(3);
    for (SimulatedInstance instance : scenario.instances()) {
      assertThat(instance.cycleLength()).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(3));
      assertThat(instance.timeline())
          .allSatisfy(
              step ->
                  assertThat(step.duration())
                      .isBetween(Duration.ofSeconds(10), Duration.ofSeconds(20)));
    }
  }

  @Test
  void demoCoversEveryCase() {
    List<TimelineStep> steps =
        BuiltInScenarios.load(BuiltInScenarios.DEMO).instances().stream()
            .flatMap(instance -> instance.timeline().stream())
            .toList();
    List<String> states =
        steps.stream().flatMap(step -> step.units().stream()).map(SimulatedUnit::state).toList();

    assertThat(states)
        .contains(
            "reserved", "claimed", "initialized", "kms-authorized", "kms-initialized",
            "maintenance");
    assertThat(states)
        .anyMatch(state -> CryptoUnitState.fromReported(state) == CryptoUnitState.UNKNOWN);
    assertThat(steps)
        .extracting(step -> step.fault() == null ? 0 : step.fault().status())
        .contains(500, 502, 503);
    assertThat(BuiltInScenarios.load(BuiltInScenarios.DEMO).instances())
        .extracting(SimulatedInstance::responseShape)
        .contains(ResponseShape.ARRAY, ResponseShape.CRYPTO_UNITS, ResponseShape.RESOURCES);
  }

  @Test
  void faultsCoversEveryKindBetweenHealthySteps() {
    Scenario faults = BuiltInScenarios.load("faults");
    List<Fault> allFaults = faults.instances().stream()
        .flatMap(instance -> instance.timeline().stream())
        .flatMap(step -> Stream.of(step.fault(), step.keyApiFault()))
        .filter(Objects::nonNull)
        .toList();

    assertThat(allFaults).extracting(Fault::kind).contains(FaultKind.values());
    assertThat(allFaults).extracting(Fault::headers).contains(Map.of("Retry-After", "3"));
    assertThat(allFaults).extracting(Fault::status).contains(429, 503);
    assertThat(faults.instances()).hasSizeGreaterThanOrEqualTo(3);
    for (SimulatedInstance instance : faults.instances()) {
      TimelineStep first = instance.timeline().get(0);
      assertThat(first.fault()).as(instance.name()).isNull();
      assertThat(first.keyApiFault()).as(instance.name()).isNull();
    }
  }

  @Test
  void rejectsUnknownName() {
    assertThatThrownBy(() -> BuiltInScenarios.load("chaos"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("\"chaos\"")
        .hasMessageContaining("healthy, single-point-of-failure");
  }

  @Test
  void loadsBuiltInByName() {
    assertThat(BuiltInScenarios.loadByNameOrPath("healthy").name()).isEqualTo("healthy");
  }

  @Test
  void loadsFileByPath(@TempDir Path directory) throws Exception {
    Path file = directory.resolve("custom.yaml");
    String yaml =
        """
        name: custom
        instances:
          - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
            region: us-south
            timeline:
              - {duration: 1m, units: []}
        """;
    Files.writeString(file, yaml);

    assertThat(BuiltInScenarios.loadByNameOrPath(file.toString()).name()).isEqualTo("custom");
  }

  @Test
  void rejectsNeitherNameNorFile(@TempDir Path directory) {
    String missing = directory.resolve("absent.yaml").toString();

    assertThatThrownBy(() -> BuiltInScenarios.loadByNameOrPath(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "Scenario \"" + missing + "\" is neither a built-in scenario (healthy, "
                + "single-point-of-failure, maintenance, initializing, api-outage, "
                + "master-key-mismatch, master-key-check-values, demo, faults) "
                + "nor an existing file");
  }

  private static long count(TimelineStep step, CryptoUnitState state) {
    return step.units().stream()
        .filter(unit -> CryptoUnitState.fromReported(unit.state()) == state)
        .count();
  }
}
