package io.github.keyprotectexporter.sources;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Names the type of a JSON value for error messages, without quoting the value. */
final class JsonNodes {

  private JsonNodes() {}

  static String describe(JsonNode node) {
    if (node == null || node.isMissingNode()) {
      return "nothing";
    }
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }
}
