package io.github.keyprotectexporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScenarioLoaderTest {

  private static final String MINIMAL =
      """
      name: minimal
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          region: us-south
          timeline:
            - duration: 30s
              units:
                - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a1, state: kms-initialized}
      """;

  @Nested
  class ValidScenarios {

    @Test
    void appliesDefaults() {
      Scenario scenario = ScenarioLoader.parse(MINIMAL, "minimal.yaml");

      assertThat(scenario.name()).isEqualTo("minimal");
      assertThat(scenario.description()).isEmpty();
      assertThat(scenario.loop()).isTrue();
      SimulatedInstance instance = scenario.instances().get(0);
      assertThat(instance.name()).isEmpty();
      assertThat(instance.responseShape()).isEqualTo(ResponseShape.ARRAY);
      TimelineStep step = instance.timeline().get(0);
      assertThat(step.duration()).isEqualTo(Duration.ofSeconds(30));
      assertThat(step.description()).isEmpty();
      assertThat(step.fault()).isNull();
      assertThat(step.units())
          .containsExactly(
              new SimulatedUnit("4d1c2a9e-0b7f-4e61-9c3a-0000000000a1", "kms-initialized"));
    }

    @Test
    void readsEveryField() {
      String yaml =
          """
          name: full
          description: Every field set.
          loop: false
          instances:
            - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
              name: payments-prod
              region: eu-es
              response_shape: resources
              timeline:
                - duration: 1m30s
                  description: The API fails slowly.
                  units: []
                  fault:
                    status: 503
                    body: no healthy upstream
                    content_type: text/plain
                    delay: 250ms
          """;

      Scenario scenario = ScenarioLoader.parse(yaml, "full.yaml");

      assertThat(scenario.description()).isEqualTo("Every field set.");
      assertThat(scenario.loop()).isFalse();
      SimulatedInstance instance = scenario.instances().get(0);
      assertThat(instance.name()).isEqualTo("payments-prod");
      assertThat(instance.region()).isEqualTo("eu-es");
      assertThat(instance.responseShape()).isEqualTo(ResponseShape.RESOURCES);
      TimelineStep step = instance.timeline().get(0);
      assertThat(step.duration()).isEqualTo(Duration.ofSeconds(90));
      assertThat(step.description()).isEqualTo("The API fails slowly.");
      assertThat(step.units()).isEmpty();
      assertThat(step.fault())
          .isEqualTo(
              new Fault(503, "no healthy upstream", "text/plain", Duration.ofMillis(250)));
    }

    @Test
    void keepsOddStatesVerbatim() {
      String yaml = MINIMAL.replace("state: kms-initialized", "state: ' KMS-Initialized '");

      Scenario scenario = ScenarioLoader.parse(yaml, "odd.yaml");

      SimulatedUnit unit = scenario.instances().get(0).timeline().get(0).units().get(0);
      assertThat(unit.state()).isEqualTo(" KMS-Initialized ");
    }

    @Test
    void allowsNullState() {
      String yaml = MINIMAL.replace("state: kms-initialized", "state: ~");

      Scenario scenario = ScenarioLoader.parse(yaml, "null-state.yaml");

      assertThat(scenario.instances().get(0).timeline().get(0).units().get(0).state()).isNull();
    }

    @Test
    void resolvesAliasesOfUnitLists() {
      String yaml =
          """
          name: aliases
          instances:
            - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
              region: us-south
              timeline:
                - duration: 10s
                  units: &healthy
                    - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a1, state: kms-initialized}
                - duration: 10s
                  units: [{id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a1, state: maintenance}]
                - duration: 10s
                  units: *healthy
          """;

      Scenario scenario = ScenarioLoader.parse(yaml, "aliases.yaml");

      List<TimelineStep> timeline = scenario.instances().get(0).timeline();
      assertThat(timeline.get(2).units()).isEqualTo(timeline.get(0).units());
    }

    @Test
    void readsDelayOnlyFault() {
      String yaml = MINIMAL + "        fault: {delay: 2s}\n";

      Scenario scenario = ScenarioLoader.parse(yaml, "slow.yaml");

      Fault fault = scenario.instances().get(0).timeline().get(0).fault();
      assertThat(fault.replacementStatus()).isEmpty();
      assertThat(fault.delay()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void readsKeyApiFault() {
      String yaml =
          MINIMAL + "        key_api_fault: {status: 503, body: no healthy upstream}\n";

      TimelineStep step = ScenarioLoader.parse(yaml, "mismatch.yaml").instances().get(0)
          .timeline().get(0);

      assertThat(step.fault()).isNull();
      assertThat(step.keyApiFault().status()).isEqualTo(503);
      assertThat(step.keyApiFault().body()).isEqualTo("no healthy upstream");
      assertThat(step.keyApiFault().contentType()).isEqualTo(Fault.DEFAULT_CONTENT_TYPE);
      assertThat(step.units()).hasSize(1);
    }

    @Test
    void keyApiWorksWithoutKeyApiFault() {
      TimelineStep step =
          ScenarioLoader.parse(MINIMAL, "minimal.yaml").instances().get(0).timeline().get(0);

      assertThat(step.keyApiFault()).isNull();
    }

    @Test
    void loadsFromFile(@TempDir Path directory) throws Exception {
      Path file = directory.resolve("scenario.yaml");
      Files.writeString(file, MINIMAL);

      assertThat(ScenarioLoader.load(file).name()).isEqualTo("minimal");
    }
  }

  @Nested
  class InvalidScenarios {

    @Test
    void namesPathAndValueOfBadDuration() {
      String yaml =
          """
          name: bad-duration
          instances:
            - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
              region: us-south
              timeline:
                - {duration: 10s, units: []}
                - {duration: 10s, units: []}
                - {duration: soon, units: []}
          """;

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].timeline[2].duration: \"soon\" is not a duration like 30s or 1m");
    }

    @Test
    void rejectsBareNumberAsDuration() {
      String yaml = MINIMAL.replace("duration: 30s", "duration: 30");

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].timeline[0].duration: 30 is not a duration like 30s or 1m");
    }

    @Test
    void rejectsZeroDuration() {
      String yaml = MINIMAL.replace("duration: 30s", "duration: 0s");

      assertThat(problemsOf(yaml))
          .containsExactly("instances[0].timeline[0].duration: \"0s\" is not longer than zero");
    }

    @Test
    void namesMissingInstanceId() {
      String yaml = MINIMAL.replace("- id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef\n", "- name: x\n");

      assertThat(problemsOf(yaml))
          .containsExactly("instances[0].id: missing; set the instance GUID");
    }

    @Test
    void rejectsNonGuidInstanceId() {
      String yaml = MINIMAL.replace("7f3e9b10-5c2d-4a8e-b1f0-00000000beef", "payments");

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].id: \"payments\" is not a GUID like "
                  + "7f3e9b10-5c2d-4a8e-b1f0-00000000beef");
    }

    @Test
    void namesEmptyTimeline() {
      String yaml =
          """
          name: empty-timeline
          instances:
            - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
              region: us-south
              timeline: []
          """;

      assertThat(problemsOf(yaml))
          .containsExactly("instances[0].timeline: is empty; add at least one entry");
    }

    @Test
    void namesUnknownResponseShape() {
      String yaml =
          MINIMAL.replace("region: us-south", "region: us-south\n    response_shape: paged");

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].response_shape: \"paged\" is not a response shape; expected one of "
                  + "array, crypto_units, resources");
    }

    @Test
    void namesUnknownField() {
      String yaml =
          MINIMAL.replace("region: us-south", "region: us-south\n    respone_shape: array");

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].respone_shape: unknown field; expected one of "
                  + "id, name, region, response_shape, timeline");
    }

    @Test
    void namesMissingState() {
      String yaml = MINIMAL.replace(", state: kms-initialized", "");

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].timeline[0].units[0].state: missing; set a state such as "
                  + "kms-initialized");
    }

    @Test
    void rejectsDuplicateInstanceIds() {
      String instance = MINIMAL.substring(MINIMAL.indexOf("  - id:"));
      String yaml = MINIMAL + instance;

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[1].id: \"7f3e9b10-5c2d-4a8e-b1f0-00000000beef\" is already used at "
                  + "instances[0].id");
    }

    @Test
    void rejectsDuplicateUnitIds() {
      String yaml =
          MINIMAL + "          - {id: 4d1c2a9e-0b7f-4e61-9c3a-0000000000a1, state: reserved}\n";

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].timeline[0].units[1].id: \"4d1c2a9e-0b7f-4e61-9c3a-0000000000a1\" "
                  + "is already used at instances[0].timeline[0].units[0].id");
    }

    @Test
    void rejectsStatusOutsideHttpRange() {
      String yaml = MINIMAL + "        fault: {status: 700}\n";

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].timeline[0].fault.status: 700 is not an HTTP status from 100 to 599");
    }

    @Test
    void checksKeyApiFaultLikeFault() {
      String yaml = MINIMAL + "        key_api_fault: {status: 99, colour: red}\n";

      assertThat(problemsOf(yaml))
          .containsExactlyInAnyOrder(
              "instances[0].timeline[0].key_api_fault.colour: unknown field; expected one of "
                  + "body, content_type, delay, headers, kind, status",
              "instances[0].timeline[0].key_api_fault.status: 99 is not an HTTP status from 100"
                  + " to 599");
    }

    @Test
    void rejectsFaultBodyWithoutStatus() {
      String yaml = MINIMAL + "        fault: {body: oops}\n";

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].timeline[0].fault.status: missing; a fault with a body needs a "
                  + "status such as 503");
    }

    @Test
    void rejectsEmptyFault() {
      String yaml = MINIMAL + "        fault: {}\n";

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].timeline[0].fault: has neither status nor delay; set at least one of "
                  + "them");
    }

    @Test
    void reportsEveryProblemAtOnce() {
      String yaml =
          """
          loop: maybe
          instances:
            - region: us-south
              timeline:
                - duration: soon
          """;

      assertThat(problemsOf(yaml))
          .containsExactly(
              "name: missing; give the scenario a short name",
              "loop: \"maybe\" is not true or false",
              "instances[0].id: missing; set the instance GUID",
              "instances[0].timeline[0].duration: \"soon\" is not a duration like 30s or 1m");
    }

    @Test
    void namesSourceInMessage() {
      assertThatThrownBy(() -> ScenarioLoader.parse("name: x\n", "my-scenario.yaml"))
          .isInstanceOf(ScenarioException.class)
          .hasMessage(
              "Invalid scenario my-scenario.yaml:\n"
                  + "  - instances: missing; add a list with at least one entry");
    }

    @Test
    void reportsYamlSyntaxErrorWithLine() {
      String yaml = "name: x\ninstances: [\n";

      assertThatThrownBy(() -> ScenarioLoader.parse(yaml, "broken.yaml"))
          .isInstanceOf(ScenarioException.class)
          .hasMessageStartingWith("Scenario broken.yaml is not valid YAML at line 3");
    }

    @Test
    void rejectsDuplicateKeys() {
      String yaml = "name: x\nname: y\n";

      assertThatThrownBy(() -> ScenarioLoader.parse(yaml, "twice.yaml"))
          .isInstanceOf(ScenarioException.class)
          .hasMessageContaining("duplicate key name");
    }

    @Test
    void rejectsNonMappingDocument() {
      assertThat(problemsOf("- just\n- a list\n"))
          .containsExactly("(top level): a list is not a mapping of fields");
    }

    @Test
    void namesUnreadableFile(@TempDir Path directory) {
      Path missing = directory.resolve("absent.yaml");

      assertThatThrownBy(() -> ScenarioLoader.load(missing))
          .isInstanceOf(ScenarioException.class)
          .hasMessageStartingWith("Scenario file " + missing + " could not be read");
    }

    private List<String> problemsOf(String yaml) {
      try {
        ScenarioLoader.parse(yaml, "test.yaml");
      } catch (ScenarioException e) {
        return e.problems();
      }
      throw new AssertionError("Expected the scenario to be rejected:\n" + yaml);
    }
  }

  @Nested
  class FaultKinds {

    @Test
    void readsKindAndHeaders() {
      String yaml =
          MINIMAL
              + """
                      fault:
                        kind: truncated
                        headers: {Retry-After: 3, X-Request-ID: abc}
              """;

      Fault fault = ScenarioLoader.parse(yaml, "kinds.yaml").instances().get(0)
          .timeline().get(0).fault();

      assertThat(fault.kind()).isEqualTo(FaultKind.TRUNCATED);
      assertThat(fault.headers()).containsExactly(
          entry("Retry-After", "3"), entry("X-Request-ID", "abc"));
      assertThat(fault.status()).isZero();
      assertThat(fault.replacementStatus()).isEmpty();
    }

    @Test
    void defaultsToHttpKind() {
      String yaml = MINIMAL + "        fault: {status: 429, headers: {Retry-After: 3}}\n";

      Fault fault = ScenarioLoader.parse(yaml, "http.yaml").instances().get(0)
          .timeline().get(0).fault();

      assertThat(fault.kind()).isEqualTo(FaultKind.HTTP);
      assertThat(fault.replacementStatus()).hasValue(429);
      assertThat(fault.headers()).containsExactly(entry("Retry-After", "3"));
    }

    @Test
    void acceptsTransportKindWithoutStatus() {
      String yaml = MINIMAL + "        key_api_fault: {kind: connection_reset, delay: 1s}\n";

      Fault fault = ScenarioLoader.parse(yaml, "reset.yaml").instances().get(0)
          .timeline().get(0).keyApiFault();

      assertThat(fault.kind()).isEqualTo(FaultKind.CONNECTION_RESET);
      assertThat(fault.delay()).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void rejectsUnknownKind() {
      String yaml = MINIMAL + "        fault: {kind: meltdown}\n";

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].timeline[0].fault.kind: \"meltdown\" is not a fault kind; expected"
                  + " one of http, connection_reset, empty_response, not_http, malformed_chunk,"
                  + " truncated, invalid_utf8");
    }

    @Test
    void rejectsResponseFieldsOfTransportKind() {
      String yaml =
          MINIMAL + "        fault: {kind: empty_response, status: 503, headers: {A: b}}\n";

      assertThat(problemsOf(yaml))
          .containsExactlyInAnyOrder(
              "instances[0].timeline[0].fault.status: has no effect with kind empty_response,"
                  + " which sends no HTTP response; remove it",
              "instances[0].timeline[0].fault.headers: has no effect with kind empty_response,"
                  + " which sends no HTTP response; remove it");
    }

    @Test
    void rejectsInvalidHeaderName() {
      String yaml = MINIMAL + "        fault: {status: 503, headers: {\"Retry After\": 3}}\n";

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].timeline[0].fault.headers.Retry After: \"Retry After\" is not a"
                  + " valid HTTP header name");
    }

    @Test
    void rejectsHeaderValueWithLineBreak() {
      String yaml =
          MINIMAL + "        fault: {status: 503, headers: {X-Note: \"a\\r\\nSet-Cookie: b\"}}\n";

      assertThat(problemsOf(yaml))
          .containsExactly(
              "instances[0].timeline[0].fault.headers.X-Note: contains a line break or control"
                  + " character; use one line");
    }

    @Test
    void rejectsHeadersThatAreNoMapping() {
      String yaml = MINIMAL + "        fault: {status: 503, headers: [Retry-After]}\n";

      assertThat(problemsOf(yaml))
          .containsExactly("instances[0].timeline[0].fault.headers: a list is not a mapping of"
              + " fields");
    }

    private List<String> problemsOf(String yaml) {
      try {
        ScenarioLoader.parse(yaml, "test.yaml");
      } catch (ScenarioException e) {
        return e.problems();
      }
      throw new AssertionError("Expected the scenario to be rejected:\n" + yaml);
    }
  }
}
