package io.github.keyprotectexporter.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the {@code fault} and {@code key_api_fault} of a timeline step, and reports each invalid
 * field with its path.
 */
final class FaultReader {

  /** An HTTP header name: one or more token characters (tchar). */
  private static final Pattern HEADER_NAME = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]+");
  /** The fields that only kinds with a status line and headers can use. */
  private static final List<String> HTTP_FIELDS =
      List.of("status", "body", "content_type", "headers");

  private final ScenarioNodes nodes;

  FaultReader(ScenarioNodes nodes) {
    this.nodes = nodes;
  }

  Fault fault(JsonNode node, String path) {
    if (!nodes.isMapping(node, path)) {
      return null;
    }
    nodes.rejectUnknownFields(
        node, path, Set.of("kind", "status", "body", "content_type", "delay", "headers"));
    FaultKind kind = kind(node, path);
    int status = faultStatus(node, path);
    String body = nodes.optionalText(node, path, "body", "");
    String contentType =
        nodes.optionalText(node, path, "content_type", Fault.DEFAULT_CONTENT_TYPE);
    Duration delay = nodes.duration(node, path, "delay", false);
    Map<String, String> headers = headers(node, path);
    if (kind == null) {
      // The unknown kind is reported already, so checks that depend on the kind would add noise.
      kind = FaultKind.HTTP;
    } else if (kind == FaultKind.HTTP) {
      requireStatusOrDelay(node, path, delay);
    } else if (!kind.sendsStatus()) {
      rejectHttpFields(node, path, kind);
    }
    return new Fault(
        status, body, contentType, delay == null ? Duration.ZERO : delay, headers, kind);
  }

  private void requireStatusOrDelay(JsonNode node, String path, Duration delay) {
    if (node.hasNonNull("status")) {
      return;
    }
    if (node.has("body") || node.has("content_type")) {
      nodes.report(path + ".status", "missing; a fault with a body needs a status such as 503");
    } else if (delay == null) {
      nodes.report(path, "has neither status nor delay; set at least one of them");
    }
  }

  /** Reports the fields that a kind without a status line would silently ignore. */
  private void rejectHttpFields(JsonNode node, String path, FaultKind kind) {
    for (String field : HTTP_FIELDS) {
      if (node.has(field)) {
        nodes.report(
            ScenarioNodes.path(path, field),
            "has no effect with kind " + kind.yamlName()
                + ", which sends no HTTP response; remove it");
      }
    }
  }

  /** Returns the fault's kind, HTTP when none is given, or null after reporting a bad one. */
  private FaultKind kind(JsonNode node, String path) {
    String text = nodes.optionalText(node, path, "kind", null);
    if (text == null) {
      return FaultKind.HTTP;
    }
    return FaultKind.fromYamlName(text)
        .orElseGet(
            () -> {
              nodes.report(
                  path + ".kind",
                  "\"" + text + "\" is not a fault kind; expected one of "
                      + FaultKind.yamlNames());
              return null;
            });
  }

  private int faultStatus(JsonNode node, String path) {
    JsonNode status = node.get("status");
    if (status == null || status.isNull()) {
      return 0;
    }
    if (!status.canConvertToExactIntegral() || status.asInt() < 100 || status.asInt() > 599) {
      String value = ScenarioNodes.describe(status);
      nodes.report(path + ".status", value + " is not an HTTP status from 100 to 599");
      return 0;
    }
    return status.asInt();
  }

  /**
   * Reads the response headers. Names must be HTTP tokens and values single-line text, because
   * the raw fault kinds write them to the socket as they are.
   */
  private Map<String, String> headers(JsonNode node, String path) {
    Map<String, String> headers = new LinkedHashMap<>();
    JsonNode headersNode = node.get("headers");
    String headersPath = ScenarioNodes.path(path, "headers");
    if (headersNode == null || headersNode.isNull() || !nodes.isMapping(headersNode, headersPath)) {
      return headers;
    }
    headersNode.fields().forEachRemaining(field -> {
      String fieldPath = headersPath + "." + field.getKey();
      String value = nodes.text(field.getValue(), fieldPath);
      if (!HEADER_NAME.matcher(field.getKey()).matches()) {
        nodes.report(fieldPath, "\"" + field.getKey() + "\" is not a valid HTTP header name");
      } else if (value != null && value.chars().anyMatch(c -> c < 0x20 && c != '\t')) {
        nodes.report(fieldPath, "contains a line break or control character; use one line");
      } else if (value != null) {
        headers.put(field.getKey(), value);
      }
    });
    return headers;
  }
}
