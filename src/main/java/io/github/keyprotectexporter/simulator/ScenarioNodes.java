package io.github.keyprotectexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads typed fields from a parsed YAML tree and records a problem, naming the field's path and
 * value, for each field that is missing or invalid. Readers return a fallback after a problem so
 * that one pass finds every problem in a file.
 */
final class ScenarioNodes {

  private final List<String> problems = new ArrayList<>();

  List<String> problems() {
    return problems;
  }

  void report(String path, String message) {
    problems.add(path + ": " + message);
  }

  static String path(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  /** Reports every field of {@code node} that is not in {@code allowed}, which catches typos. */
  void rejectUnknownFields(JsonNode node, String path, Set<String> allowed) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String name = names.next();
      if (!allowed.contains(name)) {
        String known = String.join(", ", new TreeSet<>(allowed));
        report(path(path, name), "unknown field; expected one of " + known);
      }
    }
  }

  /** Returns true when {@code node} is a mapping, and reports it otherwise. */
  boolean isMapping(JsonNode node, String path) {
    if (node != null && node.isObject()) {
      return true;
    }
    report(path, describe(node) + " is not a mapping of fields");
    return false;
  }

  String requiredText(JsonNode parent, String parentPath, String field, String hint) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      report(path(parentPath, field), "missing; " + hint);
      return null;
    }
    String text = text(node, path(parentPath, field));
    if (text != null && text.isBlank()) {
      report(path(parentPath, field), "is empty; " + hint);
      return null;
    }
    return text;
  }

  String optionalText(JsonNode parent, String parentPath, String field, String fallback) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    String text = text(node, path(parentPath, field));
    return text == null ? fallback : text;
  }

  /** Returns the scalar as text, because YAML types a scalar such as {@code 2024} as a number. */
  String text(JsonNode node, String path) {
    if (node.isValueNode()) {
      return node.asText();
    }
    report(path, describe(node) + " is not a single value");
    return null;
  }

  boolean optionalBoolean(JsonNode parent, String parentPath, String field, boolean fallback) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return fallback;
    }
    if (!node.isBoolean()) {
      report(path(parentPath, field), describe(node) + " is not true or false");
      return fallback;
    }
    return node.booleanValue();
  }

  Duration duration(JsonNode parent, String parentPath, String field, boolean required) {
    JsonNode node = parent.get(field);
    String path = path(parentPath, field);
    if (node == null || node.isNull()) {
      if (required) {
        report(path, "missing; set a duration like 30s or 1m");
      }
      return null;
    }
    Duration duration =
        node.isTextual() ? ScenarioDurations.parse(node.asText()).orElse(null) : null;
    if (duration == null) {
      report(path, describe(node) + " is not a duration like 30s or 1m");
    }
    return duration;
  }

  /** Returns the elements of a sequence, or an empty list after reporting a problem. */
  List<JsonNode> sequence(JsonNode parent, String parentPath, String field, boolean required) {
    JsonNode node = parent.get(field);
    String path = path(parentPath, field);
    if (node == null || node.isNull()) {
      if (required) {
        report(path, "missing; add a list with at least one entry");
      }
      return List.of();
    }
    if (!node.isArray()) {
      report(path, describe(node) + " is not a list");
      return List.of();
    }
    List<JsonNode> elements = new ArrayList<>();
    node.elements().forEachRemaining(elements::add);
    if (required && elements.isEmpty()) {
      report(path, "is empty; add at least one entry");
    }
    return elements;
  }

  /** Describes a node for a message: quoted text, a number as written, or its YAML kind. */
  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "null";
    }
    if (node.isTextual()) {
      return "\"" + node.asText() + "\"";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isObject()) {
      return "a mapping";
    }
    return node.asText();
  }
}
