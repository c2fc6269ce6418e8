package io.github.keyprotectexporter.sources;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Parses adapter documents, JSON or YAML, into an {@link AdapterDocument}. Every error names the
 * line of a syntax error or the JSON path of a wrong value, such as {@code
 * $.instances[0].units[1].state}, and never quotes a master-key check value.
 *
 * <p>A YAML document must end with the document end marker {@code ...}, because YAML cut short at a
 * line end is often still valid YAML and would list fewer units. JSON cut short never parses.
 */
final class AdapterDocumentParser {

  /** The only value of {@code formatVersion} this agent reads. */
  static final int FORMAT_VERSION = 1;

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();
  private static final YAMLMapper YAML =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private AdapterDocumentParser() {}

  /**
   * Parses a document, as JSON when its first character other than white space is an opening
   * brace or bracket and as YAML otherwise.
   *
   * @param sourceName the file or command the text came from, which starts every error message
   * @throws PollException with {@link PollErrorReason#BAD_OUTPUT}
   */
  static AdapterDocument parse(String text, String sourceName) throws PollException {
    String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
    if (content.isBlank()) {
      throw badOutput(sourceName, "is empty. The writer may not have finished: replace the"
          + " file by renaming a complete one");
    }
    char first = content.strip().charAt(0);
    JsonNode root = first == '{' || first == '['
        ? readJson(content, sourceName)
        : readYaml(content, sourceName);
    return fromTree(root, sourceName);
  }

  /** Returns true when the JSON object has a key that only adapter documents have. */
  static boolean looksLikeAdapterDocument(JsonNode root) {
    return root.isObject() && (root.has("instances") || root.has("generatedAt"));
  }

  /** Reads the document from a parsed JSON tree. */
  static AdapterDocument fromTree(JsonNode root, String sourceName) throws PollException {
    if (root == null || !root.isObject()) {
      throw badOutput(sourceName, "$: expected an object with generatedAt and instances, found "
          + JsonNodes.describe(root));
    }
    checkFormatVersion(root.get("formatVersion"), sourceName);
    Instant generatedAt = generatedAt(root.get("generatedAt"), sourceName);
    JsonNode instances = requiredArray(root, "instances", "$", sourceName);
    Map<String, List<CryptoUnit>> unitsByInstance = new LinkedHashMap<>();
    for (int i = 0; i < instances.size(); i++) {
      String path = "$.instances[" + i + "]";
      JsonNode instance = requiredObject(instances.get(i), path, sourceName);
      String id = requiredText(instance, "id", path, sourceName);
      if (unitsByInstance.containsKey(id.toLowerCase(Locale.ROOT))) {
        throw badOutput(sourceName, path + ".id: instance " + Excerpt.of(id, 80)
            + " is listed twice. List each instance once");
      }
      unitsByInstance.put(id.toLowerCase(Locale.ROOT), units(instance, path, sourceName));
    }
    return new AdapterDocument(generatedAt, unitsByInstance);
  }

  /** Reads JSON text into a tree; syntax errors name the line and column. */
  static JsonNode readJson(String content, String sourceName) throws PollException {
    try {
      return JSON.readTree(content);
    } catch (JsonEOFException e) {
      throw badOutput(sourceName, where(e.getLocation()) + "the JSON ends before the document is"
          + " complete. The writer may not have finished: replace the file by renaming a"
          + " complete one");
    } catch (JsonProcessingException e) {
      // The parser's message may quote the text, which may contain a check value.
      throw badOutput(sourceName, where(e.getLocation()) + "invalid JSON"
          + (isDuplicate(e) ? ": a key appears twice in one object" : ""));
    }
  }

  private static JsonNode readYaml(String content, String sourceName) throws PollException {
    if (!endsWithDocumentEndMarker(content)) {
      throw badOutput(sourceName, "the YAML document does not end with a line \"...\". A YAML"
          + " adapter document must end with this marker, so that a file cut short is not read"
          + " as complete. Add the line, or write JSON");
    }
    try (JsonParser parser = YAML.createParser(content)) {
      JsonNode root = YAML.readTree(parser);
      if (root != null && parser.nextToken() != null) {
        throw badOutput(sourceName, where(parser.currentTokenLocation())
            + "a second YAML document starts here. Write one document");
      }
      return root;
    } catch (JsonProcessingException e) {
      throw badOutput(sourceName, yamlError(e));
    } catch (IOException e) {
      throw badOutput(sourceName, "could not be read as YAML: " + e.getClass().getSimpleName());
    }
  }

  private static boolean endsWithDocumentEndMarker(String content) {
    String[] lines = content.strip().split("\r?\n");
    return lines[lines.length - 1].strip().equals("...");
  }

  private static String yamlError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
      return "line " + (marked.getProblemMark().getLine() + 1) + ", column "
          + (marked.getProblemMark().getColumn() + 1) + ": invalid YAML: "
          + Excerpt.of(marked.getProblem(), 80);
    }
    return where(e.getLocation()) + "invalid YAML"
        + (isDuplicate(e) ? ": a key appears twice in one mapping" : "");
  }

  private static boolean isDuplicate(JsonProcessingException e) {
    return e.getOriginalMessage() != null && e.getOriginalMessage().startsWith("Duplicate field");
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
  }

  private static void checkFormatVersion(JsonNode version, String sourceName)
      throws PollException {
    // An infinite or NaN double, as from 1e400 or YAML's .inf, has no decimal value to compare.
    boolean supported = version != null && version.isNumber()
        && Double.isFinite(version.doubleValue())
        && version.decimalValue().compareTo(BigDecimal.valueOf(FORMAT_VERSION)) == 0;
    if (version != null && !supported) {
      throw badOutput(sourceName, "$.formatVersion: " + JsonNodes.describe(version)
          + " is not a format version this agent reads. Write " + FORMAT_VERSION
          + " or leave it out");
    }
  }

  private static Instant generatedAt(JsonNode node, String sourceName) throws PollException {
    String example = "2026-03-01T12:00:00Z";
    if (node == null || node.isNull()) {
      throw badOutput(sourceName, "$.generatedAt: missing. Give the time the units were read,"
          + " such as " + example);
    }
    if (!node.isTextual()) {
      throw badOutput(sourceName, "$.generatedAt: expected an RFC 3339 time such as " + example
          + ", found " + JsonNodes.describe(node));
    }
    try {
      return OffsetDateTime.parse(node.textValue()).toInstant();
    } catch (DateTimeParseException e) {
      throw badOutput(sourceName, "$.generatedAt: \"" + Excerpt.of(node.textValue(), 40)
          + "\" is not an RFC 3339 time with an offset, such as " + example);
    }
  }

  private static List<CryptoUnit> units(JsonNode instance, String path, String sourceName)
      throws PollException {
    JsonNode units = requiredArray(instance, "units", path, sourceName);
    if (units.size() > CryptoUnitsParser.MAX_UNITS) {
      throw badOutput(sourceName, path + ".units: lists " + units.size()
          + " crypto units, more than the maximum of " + CryptoUnitsParser.MAX_UNITS
          + " per instance; a Dedicated instance has 2 or 3");
    }
    List<CryptoUnit> result = new ArrayList<>(units.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < units.size(); i++) {
      String unitPath = path + ".units[" + i + "]";
      JsonNode unit = requiredObject(units.get(i), unitPath, sourceName);
      String id = requiredText(unit, "id", unitPath, sourceName);
      if (id.length() > CryptoUnitsParser.MAX_ID_CHARS) {
        throw badOutput(sourceName, unitPath + ".id: longer than "
            + CryptoUnitsParser.MAX_ID_CHARS + " characters");
      }
      if (PrintableText.containsUnsafe(id)) {
        throw badOutput(sourceName, unitPath + ".id: \"" + Excerpt.of(PrintableText.escape(id), 80)
            + "\" contains control or format characters");
      }
      if (!ids.add(id)) {
        throw badOutput(sourceName, unitPath + ".id: unit " + Excerpt.of(id, 80)
            + " is listed twice in this instance. List each unit once");
      }
      String state = requiredText(unit, "state", unitPath, sourceName);
      String checkValue = optionalText(unit, "masterKeyCheckValue", unitPath, sourceName);
      String location = optionalText(unit, "location", unitPath, sourceName);
      result.add(CryptoUnit.of(id, state, checkValue, location));
    }
    return result;
  }

  private static JsonNode requiredArray(
      JsonNode parent, String field, String path, String sourceName) throws PollException {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      throw badOutput(sourceName, path + "." + field + ": missing. Give a list, which may be"
          + " empty");
    }
    if (!node.isArray()) {
      throw badOutput(sourceName, path + "." + field + ": expected a list, found "
          + JsonNodes.describe(node));
    }
    return node;
  }

  private static JsonNode requiredObject(JsonNode node, String path, String sourceName)
      throws PollException {
    if (!node.isObject()) {
      throw badOutput(sourceName, path + ": expected an object, found "
          + JsonNodes.describe(node));
    }
    return node;
  }

  private static String requiredText(
      JsonNode parent, String field, String path, String sourceName) throws PollException {
    String text = optionalText(parent, field, path, sourceName);
    if (text == null || text.isBlank()) {
      throw badOutput(sourceName, path + "." + field + ": " + (text == null ? "missing" : "empty")
          + ". Every " + (path.contains(".units[") ? "unit" : "instance") + " needs the field "
          + field);
    }
    return text;
  }

  /** Returns the text, or null when the field is absent or null; other types are errors. */
  private static String optionalText(
      JsonNode parent, String field, String path, String sourceName) throws PollException {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual()) {
      // The value is not shown, because it may be a check value written without quotes.
      throw badOutput(sourceName, path + "." + field + ": expected a string, found "
          + JsonNodes.describe(node) + ". Put the value in quotes");
    }
    return node.textValue();
  }

  private static PollException badOutput(String sourceName, String message) {
    return new PollException(PollErrorReason.BAD_OUTPUT, sourceName + ": " + message);
  }
}
