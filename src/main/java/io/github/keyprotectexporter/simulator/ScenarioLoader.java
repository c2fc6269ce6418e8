package io.github.keyprotectexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads a scenario from YAML and validates it.
 *
 * <pre>{@code
 * Scenario scenario = ScenarioLoader.load(Path.of("my-scenario.yaml"));
 * }</pre>
 *
 * <p>All problems of a file are reported at once in one {@link ScenarioException}, each naming the
 * field's path and value, for example {@code instances[0].timeline[2].duration: "soon" is not a
 * duration like 30s or 1m}.
 */
public final class ScenarioLoader {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern GUID =
      Pattern.compile("\\p{XDigit}{8}(-\\p{XDigit}{4}){3}-\\p{XDigit}{12}");
  /** Maximum size of a scenario document in characters. */
  static final int MAX_SCENARIO_CHARS = 32 * 1024 * 1024;

  private static final String GUID_EXAMPLE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";

  private final ScenarioNodes nodes = new ScenarioNodes();
  private final FaultReader faults = new FaultReader(nodes);

  private ScenarioLoader() {}

  /** Reads and validates the scenario file at {@code file}. */
  public static Scenario load(Path file) {
    String yaml;
    try {
      yaml = Files.readString(file);
    } catch (IOException e) {
      throw new ScenarioException("Scenario file " + file + " could not be read: " + e, e);
    }
    return parse(yaml, file.toString());
  }

  /**
   * Parses and validates a scenario.
   *
   * @param source where the text came from, such as a file name, used in error messages
   */
  public static Scenario parse(String yaml, String source) {
    JsonNode root = readTree(yaml, source);
    ScenarioLoader loader = new ScenarioLoader();
    Scenario scenario = loader.scenario(root);
    if (!loader.nodes.problems().isEmpty()) {
      throw new ScenarioException(source, loader.nodes.problems());
    }
    return scenario;
  }

  /**
   * Reads YAML with SnakeYAML and converts it to a Jackson tree. Jackson's own YAML parser does not
   * resolve aliases of lists and mappings, which scenario files use to repeat a list of units.
   */
  private static JsonNode readTree(String yaml, String source) {
    LoaderOptions options = new LoaderOptions();
    options.setAllowDuplicateKeys(false);
    // SnakeYAML 2.5's default of 3 Mi code points is too small for the 10,000-instance fleets of
    // bench/load.
    options.setCodePointLimit(MAX_SCENARIO_CHARS);
    Object document;
    try {
      document = new Yaml(new SafeConstructor(options)).load(yaml);
    } catch (YAMLException e) {
      throw new ScenarioException(
          "Scenario " + source + " is not valid YAML" + describeYamlError(e), e);
    }
    return JSON.valueToTree(document);
  }

  private static String describeYamlError(YAMLException e) {
    if (e instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      int line = marked.getProblemMark().getLine() + 1;
      return " at line " + line + ": " + marked.getProblem();
    }
    return ": " + e.getMessage();
  }

  private Scenario scenario(JsonNode root) {
    if (root == null || !root.isObject()) {
      nodes.report("(top level)", ScenarioNodes.describe(root) + " is not a mapping of fields");
      return null;
    }
    nodes.rejectUnknownFields(root, "", Set.of("name", "description", "loop", "instances"));
    String name = nodes.requiredText(root, "", "name", "give the scenario a short name");
    String description = nodes.optionalText(root, "", "description", "");
    boolean loop = nodes.optionalBoolean(root, "", "loop", true);
    List<JsonNode> instanceNodes = nodes.sequence(root, "", "instances", true);
    List<SimulatedInstance> instances = new ArrayList<>();
    Map<String, String> pathsById = new HashMap<>();
    for (int i = 0; i < instanceNodes.size(); i++) {
      String path = "instances[" + i + "]";
      SimulatedInstance instance = instance(instanceNodes.get(i), path);
      if (instance != null && rejectDuplicate(pathsById, instance.id(), path + ".id")) {
        instances.add(instance);
      }
    }
    return nodes.problems().isEmpty() ? new Scenario(name, description, loop, instances) : null;
  }

  private SimulatedInstance instance(JsonNode node, String path) {
    if (!nodes.isMapping(node, path)) {
      return null;
    }
    nodes.rejectUnknownFields(
        node, path, Set.of("id", "name", "region", "response_shape", "timeline"));
    String id = nodes.requiredText(node, path, "id", "set the instance GUID");
    if (id != null && !GUID.matcher(id).matches()) {
      nodes.report(path + ".id", "\"" + id + "\" is not a GUID like " + GUID_EXAMPLE);
    }
    String name = nodes.optionalText(node, path, "name", "");
    String region = nodes.requiredText(node, path, "region", "set a region such as us-south");
    ResponseShape shape = responseShape(node, path);
    List<TimelineStep> timeline = new ArrayList<>();
    List<JsonNode> stepNodes = nodes.sequence(node, path, "timeline", true);
    for (int i = 0; i < stepNodes.size(); i++) {
      timeline.add(step(stepNodes.get(i), path + ".timeline[" + i + "]"));
    }
    if (id == null || region == null || timeline.isEmpty() || timeline.contains(null)) {
      return null;
    }
    return new SimulatedInstance(id, name, region, shape, timeline);
  }

  private ResponseShape responseShape(JsonNode node, String path) {
    String text = nodes.optionalText(node, path, "response_shape", null);
    if (text == null) {
      return ResponseShape.ARRAY;
    }
    return ResponseShape.fromYamlName(text)
        .orElseGet(
            () -> {
              nodes.report(
                  path + ".response_shape",
                  "\"" + text + "\" is not a response shape; expected one of "
                      + ResponseShape.yamlNames());
              return ResponseShape.ARRAY;
            });
  }

  private TimelineStep step(JsonNode node, String path) {
    if (!nodes.isMapping(node, path)) {
      return null;
    }
    nodes.rejectUnknownFields(
        node, path, Set.of("duration", "description", "units", "fault", "key_api_fault"));
    Duration duration = nodes.duration(node, path, "duration", true);
    if (duration != null && duration.isZero()) {
      String text = node.get("duration").asText();
      nodes.report(path + ".duration", "\"" + text + "\" is not longer than zero");
    }
    String description = nodes.optionalText(node, path, "description", "");
    List<SimulatedUnit> units = units(node, path);
    Fault fault =
        node.hasNonNull("fault") ? faults.fault(node.get("fault"), path + ".fault") : null;
    Fault keyApiFault =
        node.hasNonNull("key_api_fault")
            ? faults.fault(node.get("key_api_fault"), path + ".key_api_fault")
            : null;
    if (duration == null || duration.isZero() || units == null) {
      return null;
    }
    return new TimelineStep(duration, description, units, fault, keyApiFault);
  }

  private List<SimulatedUnit> units(JsonNode step, String stepPath) {
    List<JsonNode> unitNodes = nodes.sequence(step, stepPath, "units", false);
    List<SimulatedUnit> units = new ArrayList<>();
    Map<String, String> pathsById = new HashMap<>();
    boolean valid = true;
    for (int i = 0; i < unitNodes.size(); i++) {
      String path = stepPath + ".units[" + i + "]";
      SimulatedUnit unit = unit(unitNodes.get(i), path);
      valid &= unit != null && rejectDuplicate(pathsById, unit.id(), path + ".id");
      units.add(unit);
    }
    return valid ? units : null;
  }

  private SimulatedUnit unit(JsonNode node, String path) {
    if (!nodes.isMapping(node, path)) {
      return null;
    }
    nodes.rejectUnknownFields(node, path, Set.of("id", "state", "master_key_check_value"));
    String id = nodes.requiredText(node, path, "id", "set the crypto unit GUID");
    if (!node.has("state")) {
      // An explicit `state: ~` is allowed, to simulate an API that sends a null state.
      nodes.report(path + ".state", "missing; set a state such as kms-initialized");
      return null;
    }
    String state = nodes.optionalText(node, path, "state", null);
    String checkValue = nodes.optionalText(node, path, "master_key_check_value", null);
    return id == null ? null : new SimulatedUnit(id, state, checkValue);
  }

  /** Records where an id was first seen, and reports it when it was already used. */
  private boolean rejectDuplicate(Map<String, String> pathsById, String id, String path) {
    String firstPath = pathsById.putIfAbsent(id, path);
    if (firstPath != null) {
      nodes.report(path, "\"" + id + "\" is already used at " + firstPath);
      return false;
    }
    return true;
  }
}
