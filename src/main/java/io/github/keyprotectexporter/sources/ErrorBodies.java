package io.github.keyprotectexporter.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Short descriptions of error response bodies. Every text passes through a mask before it is cut,
 * so that a secret echoed by the server cannot survive even in part.
 */
final class ErrorBodies {

  /** Bytes of an error body read for its description. The rest is discarded. */
  static final int MAX_ERROR_BODY_BYTES = 16 * 1024;

  private static final int MAX_DESCRIPTION_CHARS = 200;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The fields of an IAM error body, each empty when the body does not have it. */
  record IamError(String errorCode, String message, String requestId) {}

  private ErrorBodies() {}

  /**
   * Describes a Key Protect error body: the {@code errorMsg} and {@code reasons[].message} of its
   * error envelope, or else a cleaned excerpt of the body.
   */
  static String describeKeyProtectError(byte[] body, UnaryOperator<String> mask) {
    JsonNode root = readJson(body);
    String text = root == null ? null : keyProtectErrorText(root);
    if (text == null) {
      text = new String(body, StandardCharsets.UTF_8);
    }
    return Excerpt.of(mask.apply(text), MAX_DESCRIPTION_CHARS);
  }

  /** Returns the messages of a Key Protect error envelope, or null when it has none. */
  static String keyProtectErrorText(JsonNode root) {
    List<String> parts = new ArrayList<>();
    for (JsonNode resource : root.path("resources")) {
      addText(parts, resource.path("errorMsg"));
      for (JsonNode reason : resource.path("reasons")) {
        addText(parts, reason.path("message"));
      }
    }
    return parts.isEmpty() ? null : String.join("; ", parts);
  }

  /**
   * Reads an IAM error body ({@code errorCode}, {@code errorMessage}, {@code context.requestId}).
   */
  static IamError readIamError(byte[] body, UnaryOperator<String> mask) {
    JsonNode root = readJson(body);
    if (root == null || !root.path("errorMessage").isTextual()) {
      String excerpt = Excerpt.of(mask.apply(new String(body, StandardCharsets.UTF_8)));
      return new IamError("", excerpt, "");
    }
    return new IamError(
        Excerpt.of(mask.apply(root.path("errorCode").asText("")), 40),
        Excerpt.of(mask.apply(root.path("errorMessage").asText("")), MAX_DESCRIPTION_CHARS),
        Excerpt.of(mask.apply(root.path("context").path("requestId").asText("")), 80));
  }

  private static void addText(List<String> parts, JsonNode node) {
    if (!node.isTextual() || node.textValue().isBlank()) {
      return;
    }
    String text = node.textValue().strip();
    if (parts.stream().noneMatch(part -> part.contains(text))) {
      parts.add(text);
    }
  }

  private static JsonNode readJson(byte[] body) {
    try {
      JsonNode root = MAPPER.readTree(body);
      return root != null && root.isObject() ? root : null;
    } catch (IOException e) {
      // Not JSON, for example a proxy's HTML page: the caller describes it by an excerpt.
      return null;
    }
  }
}
