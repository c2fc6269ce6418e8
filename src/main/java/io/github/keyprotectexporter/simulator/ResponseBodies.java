package io.github.keyprotectexporter.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Renders the JSON bodies of the simulated Key Protect, key and IAM APIs. */
final class ResponseBodies {

  static final String JSON = "application/json";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ResponseBodies() {}

  /** Renders units as the crypto-units API lists them, wrapped in the instance's shape. */
  static String cryptoUnits(SimulatedInstance instance, List<SimulatedUnit> units) {
    List<Map<String, Object>> elements =
        units.stream().map(unit -> unitElement(instance.id(), unit)).toList();
    return switch (instance.responseShape()) {
      case ARRAY -> write(elements);
      case CRYPTO_UNITS -> write(Map.of("crypto_units", elements));
      case RESOURCES ->
          write(ordered("metadata", metadata(JSON, elements.size()), "resources", elements));
    };
  }

  /** Renders an empty page of {@code GET /api/v2/keys}. */
  static String emptyKeyList() {
    return write(
        ordered(
            "metadata", metadata("application/vnd.ibm.kms.key+json", 0),
            "resources", List.of()));
  }

  /**
   * Renders the Key Protect error envelope with one resource and one reason.
   *
   * @param errorMessage the resource's {@code errorMsg}, such as {@code Unauthorized: ...}
   */
  static String keyProtectError(int status, String errorMessage, String code, String reason) {
    Map<String, Object> reasonEntry = ordered("code", code, "message", reason);
    reasonEntry.put("status", status);
    Map<String, Object> resource =
        ordered("errorMsg", errorMessage, "reasons", List.of(reasonEntry));
    return write(
        ordered(
            "metadata", metadata("application/vnd.ibm.kms.error+json", 1),
            "resources", List.of(resource)));
  }

  /** Renders an IAM error, leaving out {@code details} when it is null. */
  static String iamError(String code, String message, String details, String requestId) {
    Map<String, Object> body = ordered("errorCode", code, "errorMessage", message);
    if (details != null) {
      body.put("errorDetails", details);
    }
    body.put("context", Map.of("requestId", requestId));
    return write(body);
  }

  static String token(TokenIssuer.IssuedToken token) {
    Map<String, Object> body =
        ordered("access_token", token.accessToken(), "refresh_token", token.refreshToken());
    body.put("token_type", "Bearer");
    body.put("expires_in", token.lifetime().toSeconds());
    body.put("expiration", token.expiration().getEpochSecond());
    body.put("scope", "ibm openid");
    return write(body);
  }

  private static Map<String, Object> unitElement(String instanceId, SimulatedUnit unit) {
    Map<String, Object> element = ordered("id", unit.id(), "instanceId", instanceId);
    // A null state stays in the body as JSON null, to simulate an API that omits the value.
    element.put("state", unit.state());
    return element;
  }

  private static Map<String, Object> metadata(String collectionType, int total) {
    return ordered("collectionType", collectionType, "collectionTotal", total);
  }

  private static Map<String, Object> ordered(
      String key1, Object value1, String key2, Object value2) {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put(key1, value1);
    map.put(key2, value2);
    return map;
  }

  private static String write(Object body) {
    try {
      return MAPPER.writeValueAsString(body);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Response body could not be rendered as JSON", e);
    }
  }
}
