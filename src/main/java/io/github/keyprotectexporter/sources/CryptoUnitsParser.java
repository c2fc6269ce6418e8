package io.github.keyprotectexporter.sources;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Parses the body of a crypto-unit list response. It accepts the bare JSON array that {@code GET
 * /api/v1/cryptounits} returns, the {@code {"crypto_units": [...]}} wrapper of IBM's Go client and
 * the {@code {"metadata": {...}, "resources": [...]}} collection of other Key Protect endpoints.
 *
 * <p>Unknown fields are ignored. Elements that cannot be a unit (null, no string {@code id}, an id
 * with control or format characters) and repeated unit ids are skipped with a WARN, logged once
 * per instance and element. Does no I/O
 * besides logging. Thread-safe.
 */
public final class CryptoUnitsParser {

  /** Maximum body size in bytes. A larger body is rejected as a bad response. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  /**
   * Maximum number of crypto units in one response. A longer list is rejected as a bad response.
   * A Dedicated instance has 2 or 3 units, and each unit adds series to every scrape and a line to
   * the log when it appears.
   */
  public static final int MAX_UNITS = 64;

  /**
   * Maximum length of a unit id in characters. Ids become label values, so longer ones are skipped.
   */
  static final int MAX_ID_CHARS = 256;

  private static final int MAX_KEYS_LISTED = 10;
  private static final int MAX_WARNINGS_REMEMBERED = 1024;
  private static final String ERROR_COLLECTION_TYPE = "application/vnd.ibm.kms.error+json";
  private static final Logger logger = LoggerFactory.getLogger(CryptoUnitsParser.class);

  private static final ObjectMapper MAPPER =
      JsonMapper.builder().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

  private final SeenKeys<String> warned = new SeenKeys<>(MAX_WARNINGS_REMEMBERED);

  /** Parses a body given as text; see {@link #parse(String, byte[], UnaryOperator)}. */
  public List<CryptoUnit> parse(String instanceId, String body) throws PollException {
    return parse(instanceId, body.getBytes(StandardCharsets.UTF_8));
  }

  /** Parses a body; see {@link #parse(String, byte[], UnaryOperator)}. */
  public List<CryptoUnit> parse(String instanceId, byte[] body) throws PollException {
    return parse(instanceId, body, UnaryOperator.identity());
  }

  /**
   * Parses a response body of instance {@code instanceId} into its crypto units.
   *
   * @param mask applied to any body text that an exception message quotes, before the text is cut,
   *     so that credentials echoed by a server are hidden. Text shaped like a bearer token or a
   *     JSON Web Token is masked even without it.
   * @return the units in body order, the first occurrence of each id only, possibly empty
   * @throws PollException with {@link PollErrorReason#BAD_RESPONSE} when the body is empty, too
   *     large, not JSON, invalid JSON, JSON of another shape or a list of more than {@link
   *     #MAX_UNITS} elements
   */
  public List<CryptoUnit> parse(String instanceId, byte[] body, UnaryOperator<String> mask)
      throws PollException {
    if (body.length > MAX_BODY_BYTES) {
      throw badResponse("response body exceeds " + MAX_BODY_BYTES + " bytes");
    }
    UnaryOperator<String> fullMask = text -> CredentialPatterns.mask(mask.apply(text));
    JsonNode root = readTree(body, fullMask);
    return toUnits(instanceId, unitArray(root, fullMask));
  }

  private static JsonNode readTree(byte[] body, UnaryOperator<String> mask) throws PollException {
    if (isBlank(body)) {
      throw badResponse("response body is empty, expected a JSON list of crypto units");
    }
    try {
      return MAPPER.readTree(body);
    } catch (IOException e) {
      throw parseFailure(body, e, mask);
    }
  }

  /** The Jackson exception is not kept as cause because its message may quote the body. */
  private static PollException parseFailure(
      byte[] body, IOException e, UnaryOperator<String> mask) {
    String text = new String(body, 0, Math.min(body.length, 4096), StandardCharsets.UTF_8);
    if (!startsLikeJson(body)) {
      return badResponse("response body is not JSON: \"" + Excerpt.of(mask.apply(text)) + "\"");
    }
    if (!(e instanceof JacksonException)) {
      return badResponse("response body could not be read: " + e.getClass().getSimpleName());
    }
    JacksonException jsonError = (JacksonException) e;
    JsonLocation location = jsonError.getLocation();
    String where =
        location == null
            ? ""
            : " at line " + location.getLineNr() + ", column " + location.getColumnNr();
    return badResponse(
        "response body is invalid or truncated JSON"
            + where
            + ": "
            + Excerpt.of(mask.apply(jsonError.getOriginalMessage())));
  }

  private static JsonNode unitArray(JsonNode root, UnaryOperator<String> mask)
      throws PollException {
    if (root.isArray()) {
      return root;
    }
    if (!root.isObject()) {
      throw wrongShape("got " + describe(root));
    }
    if (isErrorCollection(root)) {
      String errorText = ErrorBodies.keyProtectErrorText(root);
      throw badResponse(
          "response is a Key Protect error, not a list of crypto units: "
              + (errorText == null ? "(no message)" : Excerpt.of(mask.apply(errorText), 200)));
    }
    for (String field : List.of("crypto_units", "resources")) {
      JsonNode list = root.get(field);
      if (list == null) {
        continue;
      }
      if (!list.isArray()) {
        throw wrongShape("got object whose " + field + " is " + describe(list));
      }
      return list;
    }
    throw wrongShape("got object with keys " + keysOf(root));
  }

  private List<CryptoUnit> toUnits(String instanceId, JsonNode elements) throws PollException {
    if (elements.size() > MAX_UNITS) {
      throw badResponse(
          "response lists "
              + elements.size()
              + " crypto units, more than the maximum of "
              + MAX_UNITS
              + " per instance; a Dedicated instance has 2 or 3");
    }
    List<CryptoUnit> units = new ArrayList<>(elements.size());
    Set<String> ids = new HashSet<>();
    for (int index = 0; index < elements.size(); index++) {
      JsonNode element = elements.get(index);
      String problem = problemWith(element);
      if (problem != null) {
        warnOnce(instanceId, "skipped the crypto unit at index " + index + ": " + problem);
        continue;
      }
      String id = element.get("id").textValue();
      if (!ids.add(id)) {
        warnOnce(
            instanceId,
            "skipped the crypto unit at index "
                + index
                + ": its id "
                + Excerpt.of(id, 80)
                + " appeared before in the list, so the first occurrence counts");
        continue;
      }
      units.add(CryptoUnit.of(id, reportedState(element.get("state"))));
    }
    return List.copyOf(units);
  }

  /** Returns why {@code element} cannot be a crypto unit, or null when it can. */
  private static String problemWith(JsonNode element) {
    if (element.isNull()) {
      return "element is null";
    }
    if (!element.isObject()) {
      return "element is " + describe(element) + ", expected an object";
    }
    JsonNode id = element.get("id");
    if (id == null || id.isNull()) {
      return "id is missing";
    }
    if (!id.isTextual()) {
      return "id is " + describe(id) + ", expected a string";
    }
    if (id.textValue().isBlank()) {
      return "id is blank";
    }
    if (id.textValue().length() > MAX_ID_CHARS) {
      return "id is longer than " + MAX_ID_CHARS + " characters";
    }
    if (PrintableText.containsUnsafe(id.textValue())) {
      // Such an id would reach log lines and terminals, where it can forge or hide output.
      return "id \""
          + Excerpt.of(PrintableText.escape(id.textValue()), 80)
          + "\" contains control or format characters";
    }
    return null;
  }

  private static String reportedState(JsonNode state) {
    if (state == null || state.isNull()) {
      return null;
    }
    return state.isValueNode() ? state.asText() : state.toString();
  }

  /** Logs at WARN the first time, then at DEBUG, because a bad element repeats on every poll. */
  private void warnOnce(String instanceId, String message) {
    if (warned.firstSeen(instanceId + '\n' + message)) {
      logger.warn("instance_id={} {}", instanceId, message);
    } else {
      logger.debug("instance_id={} {}", instanceId, message);
    }
  }

  private static boolean isErrorCollection(JsonNode root) {
    JsonNode type = root.path("metadata").path("collectionType");
    return type.isTextual() && type.textValue().equalsIgnoreCase(ERROR_COLLECTION_TYPE);
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT -> "an object";
      case STRING -> "a string";
      case NUMBER -> "a number";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static List<String> keysOf(JsonNode object) {
    List<String> keys = new ArrayList<>();
    Iterator<String> names = object.fieldNames();
    while (names.hasNext() && keys.size() < MAX_KEYS_LISTED) {
      keys.add(Excerpt.of(names.next(), 40));
    }
    if (names.hasNext()) {
      keys.add("...");
    }
    return keys;
  }

  private static boolean isBlank(byte[] body) {
    for (byte b : body) {
      if (!Character.isWhitespace(b)) {
        return false;
      }
    }
    return true;
  }

  /** Returns true when the first non-blank byte opens a JSON array or object (after a BOM). */
  private static boolean startsLikeJson(byte[] body) {
    for (int i = 0; i < body.length; i++) {
      int b = body[i] & 0xff;
      if (b == 0xEF || b == 0xBB || b == 0xBF || Character.isWhitespace(b)) {
        continue;
      }
      return b == '[' || b == '{';
    }
    return false;
  }

  private static PollException wrongShape(String detail) {
    return badResponse(
        "expected a JSON array or an object with crypto_units or resources, " + detail);
  }

  private static PollException badResponse(String message) {
    return new PollException(PollErrorReason.BAD_RESPONSE, message);
  }
}
