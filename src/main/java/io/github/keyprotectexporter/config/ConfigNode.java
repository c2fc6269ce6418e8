package io.github.keyprotectexporter.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A value in the YAML tree together with its key path, such as {@code instances[2].region}. Each
 * typed read records an error that names the path and the value instead of throwing, so one pass
 * reports every problem in the file.
 */
final class ConfigNode {

  private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z0-9_-]+");

  private final JsonNode node;
  private final String path;
  private final Problems problems;

  private ConfigNode(JsonNode node, String path, Problems problems) {
    this.node = node == null || node.isMissingNode() ? null : node;
    this.path = path;
    this.problems = problems;
  }

  static ConfigNode root(JsonNode node, Problems problems) {
    return new ConfigNode(node, "", problems);
  }

  String path() {
    return path;
  }

  /** Returns true when the key is not in the file at all. */
  boolean isAbsent() {
    return node == null;
  }

  /** Returns true when the key is absent or written without a value. */
  boolean isAbsentOrNull() {
    return node == null || node.isNull();
  }

  boolean isList() {
    return node != null && node.isArray();
  }

  ConfigNode get(String key) {
    JsonNode child = node == null ? null : node.get(key);
    String name = PLAIN_KEY.matcher(key).matches() ? Echo.maskKeyShaped(key) : Echo.quote(key);
    return new ConfigNode(child, path.isEmpty() ? name : path + "." + name, problems);
  }

  void error(String message) {
    problems.error(path, message);
  }

  void warn(String message) {
    problems.warn(path, message);
  }

  /**
   * Returns true when the value is a mapping. An absent or empty value returns false quietly, so
   * that a section left empty takes its defaults. Any other type is an error.
   */
  boolean isMapping(List<String> keys) {
    if (isAbsentOrNull()) {
      return false;
    }
    if (!node.isObject()) {
      error("expected a mapping with the keys " + String.join(", ", keys) + ", found " + found());
      return false;
    }
    return true;
  }

  /**
   * Returns the elements of a list, or an empty list and an error when the value is another type.
   */
  List<ConfigNode> elements(String expected) {
    List<ConfigNode> elements = new ArrayList<>();
    if (node == null || !node.isArray()) {
      error("expected " + expected + ", found " + found());
      return elements;
    }
    for (int i = 0; i < node.size(); i++) {
      elements.add(new ConfigNode(node.get(i), path + "[" + i + "]", problems));
    }
    return elements;
  }

  /** Reports each key of this mapping that is not one of {@code validKeys}. */
  void allowOnlyKeys(List<String> validKeys) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (!validKeys.contains(key)) {
        get(key).reportUnknownKey(key, path, validKeys);
      }
    }
  }

  /**
   * Reports each key of this mapping that is not one of {@code validKeys}. A key of {@code
   * unsupported} is known but not implemented, and gets its message instead of "unknown key".
   */
  void allowOnlyKeys(List<String> validKeys, Map<String, String> unsupported) {
    Iterator<String> names = node.fieldNames();
    while (names.hasNext()) {
      String key = names.next();
      if (unsupported.containsKey(key)) {
        get(key).error(unsupported.get(key));
      } else if (!validKeys.contains(key)) {
        get(key).reportUnknownKey(key, path, validKeys);
      }
    }
  }

  /** Returns the string, or empty when the key is absent or the value is invalid. */
  Optional<String> text(String expected) {
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      String hint = node.isValueNode() && !node.isNull() ? ". Put the value in quotes" : "";
      error("expected " + expected + ", found " + found() + hint);
      return Optional.empty();
    }
    return Optional.of(node.textValue());
  }

  /**
   * Returns the string, or empty when the value is not a string. Unlike {@link #text} it records
   * no error, so the caller can report a secret without quoting it.
   */
  Optional<String> secretText() {
    return node != null && node.isTextual() ? Optional.of(node.textValue()) : Optional.empty();
  }

  /**
   * Returns a string, number or boolean as text, or empty when the key is absent or the value is a
   * list, a mapping or null.
   */
  Optional<String> scalar(String expected) {
    if (node == null) {
      return Optional.empty();
    }
    if (!node.isValueNode() || node.isNull()) {
      error("expected " + expected + ", found " + found());
      return Optional.empty();
    }
    return Optional.of(node.asText());
  }

  /** Returns the keys of this mapping in file order, or none when it is not a mapping. */
  List<String> keys() {
    List<String> keys = new ArrayList<>();
    if (node != null && node.isObject()) {
      node.fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  /** Returns the boolean, or {@code fallback} when the key is absent or the value is invalid. */
  boolean bool(boolean fallback) {
    if (node == null) {
      return fallback;
    }
    if (!node.isBoolean()) {
      String hint = node.isTextual() ? ". Write true or false without quotes" : "";
      error("expected true or false, found " + found() + hint);
      return fallback;
    }
    return node.booleanValue();
  }

  /** Returns the whole number, {@code fallback} when absent, or empty when invalid. */
  Optional<Integer> integer(int fallback, String expected) {
    if (node == null) {
      return Optional.of(fallback);
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt()) {
      error("expected " + expected + ", found " + found());
      return Optional.empty();
    }
    return Optional.of(node.intValue());
  }

  /** Returns the duration, {@code fallback} when absent, or empty when invalid. */
  Optional<Duration> duration(Duration fallback) {
    if (node == null) {
      return Optional.of(fallback);
    }
    // A bare number such as 30 arrives as a YAML number; parse it as text for the same message.
    if (!node.isTextual() && !node.isNumber()) {
      error("expected a duration such as " + Durations.EXAMPLES + ", found " + found());
      return Optional.empty();
    }
    try {
      return Optional.of(Durations.parse(node.asText()));
    } catch (IllegalArgumentException e) {
      error(e.getMessage());
      return Optional.empty();
    }
  }

  private void reportUnknownKey(String key, String parentPath, List<String> validKeys) {
    if (KeyNames.isInlineApiKey(key)) {
      error(
          "the API key must not be written into the configuration file, and its value is not"
              + " shown here. Remove the key, put the API key into an environment variable named"
              + " by iam.api_key_env or into a file named by iam.api_key_file, and revoke the key"
              + " if the file was shared");
      return;
    }
    String where = parentPath.isEmpty() ? "Valid top-level keys" : "Valid keys under " + parentPath;
    String suggestion =
        KeyNames.closest(key, validKeys).map(valid -> ". Did you mean " + valid + "?").orElse("");
    error("unknown key. " + where + ": " + String.join(", ", validKeys) + suggestion);
  }

  private String found() {
    return Echo.node(node);
  }
}
