package io.github.keyprotectexporter.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML text into a Jackson tree whose top level is a mapping. Syntax errors name the line and
 * column but never quote the offending line, because that line may hold a secret.
 */
final class YamlDocument {

  private static final YAMLMapper MAPPER =
      YAMLMapper.builder().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();

  private static final Pattern DUPLICATE_KEY = Pattern.compile("Duplicate field '(.*)'");

  private YamlDocument() {}

  /**
   * Parses one YAML document.
   *
   * @throws ConfigException if the text is not valid YAML, is empty, contains more than one
   *     document or has no mapping at the top level
   */
  static JsonNode read(String yaml, String source) throws ConfigException {
    return checkTopLevel(parse(yaml, source), source);
  }

  /**
   * Parses one YAML document that may be empty, such as a web config without TLS or users.
   *
   * @return the top-level mapping, or null when the document is empty
   * @throws ConfigException if the text is not valid YAML, contains more than one document or has
   *     a value other than a mapping at the top level
   */
  static JsonNode readOptional(String yaml, String source, List<String> keys)
      throws ConfigException {
    JsonNode root = parse(yaml, source);
    if (root == null || root.isMissingNode() || root.isNull()) {
      return null;
    }
    if (!root.isObject()) {
      throw new ConfigException(source + ": expected a mapping with the keys "
          + String.join(", ", keys) + " at the top level, found " + describeTopLevel(root));
    }
    return root;
  }

  private static JsonNode parse(String yaml, String source) throws ConfigException {
    JsonNode root;
    try (JsonParser parser = MAPPER.createParser(yaml)) {
      root = MAPPER.readTree(parser);
      if (root != null && parser.nextToken() != null) {
        throw new ConfigException(
            source
                + ": "
                + where(parser.currentTokenLocation())
                + "a second YAML document starts"
                + " here. Put all settings into one document, without a second --- line");
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + syntaxError(e));
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot be read: " + e.getMessage(), e);
    }
    rejectAliases(yaml, source);
    return root;
  }

  /**
   * Rejects YAML aliases ({@code *name}) and merge keys ({@code <<: *name}). Jackson does not
   * resolve them but reads each alias as the plain string {@code name}, which would silently
   * replace the value the user meant.
   */
  private static void rejectAliases(String yaml, String source) throws ConfigException {
    try (YAMLParser parser = MAPPER.getFactory().createParser(yaml)) {
      while (parser.nextToken() != null) {
        if (parser.isCurrentAlias()) {
          throw new ConfigException(source + ": " + where(parser.currentTokenLocation())
              + "the YAML alias *" + parser.getText() + " is not supported, because the"
              + " agent would read it as the text \"" + parser.getText() + "\". Write the value"
              + " out in full instead of using an anchor (&name) and alias (*name)");
        }
      }
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + syntaxError(e));
    } catch (IOException e) {
      throw new ConfigException(source + ": cannot be read: " + e.getMessage(), e);
    }
  }

  private static JsonNode checkTopLevel(JsonNode root, String source) throws ConfigException {
    if (root == null || root.isMissingNode() || root.isNull()) {
      throw new ConfigException(
          source
              + ": the configuration is empty. It needs at least an instances list with the"
              + " id and region of each Key Protect instance");
    }
    if (!root.isObject()) {
      throw new ConfigException(
          source
              + ": expected a mapping with the keys "
              + String.join(", ", ConfigLoader.KEYS)
              + " at the top level, found "
              + describeTopLevel(root));
    }
    return root;
  }

  // A file that is one bare string is most likely the API key file passed as --config.file, so
  // its value is left out.
  private static String describeTopLevel(JsonNode root) {
    if (root.isTextual()) {
      return "a single string (not shown, in case it is an API key). Check that --config.file"
          + " names the YAML config file and not the API key file";
    }
    return Echo.node(root);
  }

  // The cause is dropped on purpose: the messages of Jackson and SnakeYAML quote the source line.
  private static String syntaxError(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException marked) {
      return where(marked.getProblemMark())
          + "invalid YAML: "
          + marked.getProblem()
          + context(marked)
          + ". Check the indentation and quoting there";
    }
    String firstLine = e.getOriginalMessage().lines().findFirst().orElse("");
    Matcher duplicate = DUPLICATE_KEY.matcher(firstLine);
    if (duplicate.matches()) {
      return where(e.getLocation())
          + "the key "
          + duplicate.group(1)
          + " appears twice in the same mapping. Keep one of the two";
    }
    return where(e.getLocation()) + "invalid YAML: " + firstLine;
  }

  private static String context(MarkedYAMLException marked) {
    Mark mark = marked.getContextMark();
    if (marked.getContext() == null || mark == null) {
      return "";
    }
    return " ("
        + marked.getContext()
        + " that starts at line "
        + (mark.getLine() + 1)
        + ", column "
        + (mark.getColumn() + 1)
        + ")";
  }

  private static String where(Mark mark) {
    return mark == null
        ? ""
        : "line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ": ";
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return "line " + location.getLineNr() + ", column " + location.getColumnNr() + ": ";
  }
}
