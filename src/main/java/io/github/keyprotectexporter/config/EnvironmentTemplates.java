package io.github.keyprotectexporter.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Values of a command's environment variables, in which {@code ${NAME}} stands for the value of the
 * variable NAME in the agent's own environment. A dollar sign not followed by an opening brace is
 * kept as written.
 *
 * <pre>{@code
 * String value = EnvironmentTemplates.resolve("${IBMCLOUD_API_KEY}", System.getenv());
 * }</pre>
 */
public final class EnvironmentTemplates {

  /** Names of environment variables: a letter or underscore, then letters, digits, underscores. */
  public static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]*)}");

  private EnvironmentTemplates() {}

  /** Returns why {@code template} is malformed, or empty when it is well formed. */
  public static Optional<String> problemWith(String template) {
    Matcher reference = REFERENCE.matcher(template);
    int end = 0;
    while (reference.find()) {
      if (!NAME.matcher(reference.group(1)).matches()) {
        return Optional.of(
            "${" + reference.group(1) + "} is not a variable reference. Write ${NAME} with a"
                + " name of letters, digits and underscores");
      }
      end = reference.end();
    }
    if (template.indexOf("${", end) >= 0) {
      return Optional.of("${ is not closed. Write ${NAME}");
    }
    return Optional.empty();
  }

  /** Returns the names that {@code template} refers to, in order. */
  public static List<String> references(String template) {
    List<String> names = new ArrayList<>();
    Matcher reference = REFERENCE.matcher(template);
    while (reference.find()) {
      names.add(reference.group(1));
    }
    return names;
  }

  /**
   * Replaces every {@code ${NAME}} by the value of NAME in {@code environment}.
   *
   * @throws IllegalArgumentException when a referenced variable is not set; the message names the
   *     variable, never a value
   */
  public static String resolve(String template, Map<String, String> environment) {
    Matcher reference = REFERENCE.matcher(template);
    StringBuilder resolved = new StringBuilder();
    while (reference.find()) {
      String value = environment.get(reference.group(1));
      if (value == null) {
        throw new IllegalArgumentException(
            "environment variable " + reference.group(1) + " is not set in the agent's"
                + " environment. Set it, or remove the reference ${" + reference.group(1) + "}");
      }
      reference.appendReplacement(resolved, Matcher.quoteReplacement(value));
    }
    reference.appendTail(resolved);
    return resolved.toString();
  }
}
