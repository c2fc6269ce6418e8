package io.github.keyprotectexporter.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keyprotectexporter.config.Durations;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads the shipped Prometheus rule file and its unit tests. */
public final class RuleFiles {

  /** The one rule file: recording rules for the dashboards and every alert. */
  public static final Path RULES = Path.of("alerts", "keyprotect-exporter.rules.yml");
  /** The promtool unit tests of {@link #RULES}. */
  public static final Path RULE_TESTS = Path.of("alerts", "keyprotect-exporter.rules.test.yml");
  /** Where every runbook_url points, followed by the alert's section anchor. */
  public static final String RUNBOOKS_URL =
      "https://github.com/keyprotectexporter/keyprotect-exporter/blob/main/docs/runbooks.md";

  private static final ObjectMapper JSON = new ObjectMapper();

  private RuleFiles() {}

  /** An alerting rule, with absent {@code for} and {@code keep_firing_for} read as zero. */
  public record AlertRule(
      String name,
      String expr,
      Duration forDuration,
      Duration keepFiringFor,
      Map<String, String> labels,
      Map<String, String> annotations) {}

  /** A recording rule. */
  public record RecordingRule(String record, String expr) {}

  public static List<AlertRule> alerts() {
    List<AlertRule> alerts = new ArrayList<>();
    for (JsonNode rule : rules(RULES)) {
      if (rule.has("alert")) {
        alerts.add(new AlertRule(
            rule.get("alert").asText(),
            rule.get("expr").asText(),
            duration(rule, "for"),
            duration(rule, "keep_firing_for"),
            strings(rule.get("labels")),
            strings(rule.get("annotations"))));
      }
    }
    return alerts;
  }

  public static List<RecordingRule> recordingRules() {
    List<RecordingRule> records = new ArrayList<>();
    for (JsonNode rule : rules(RULES)) {
      if (rule.has("record")) {
        records.add(new RecordingRule(rule.get("record").asText(), rule.get("expr").asText()));
      }
    }
    return records;
  }

  /**
   * Reads any YAML file as a tree. SnakeYAML resolves the anchors and aliases that the rule tests
   * use to repeat an expected alert, which Jackson's YAML parser leaves unresolved.
   */
  public static JsonNode readYaml(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
    Object document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
    return JSON.valueToTree(document);
  }

  private static List<JsonNode> rules(Path file) {
    List<JsonNode> rules = new ArrayList<>();
    for (JsonNode group : readYaml(file).path("groups")) {
      group.path("rules").forEach(rules::add);
    }
    return rules;
  }

  private static Duration duration(JsonNode rule, String field) {
    return rule.has(field) ? Durations.parse(rule.get(field).asText()) : Duration.ZERO;
  }

  private static Map<String, String> strings(JsonNode mapping) {
    Map<String, String> values = new LinkedHashMap<>();
    if (mapping != null) {
      mapping.properties()
          .forEach(entry -> values.put(entry.getKey(), entry.getValue().asText()));
    }
    return values;
  }
}
