package io.github.keyprotectexporter.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a web config file in the Prometheus exporter-toolkit format and checks every value
 * except the contents of the TLS files, which the web server reads at start.
 *
 * <pre>{@code
 * WebConfig web = new WebConfigLoader().load(Path.of("web-config.yml"));
 * }</pre>
 *
 * <p>An empty file means plain HTTP without login. Unknown keys are errors. Relative paths in
 * {@code tls_server_config} are resolved against the directory of the web config file, as the
 * exporter-toolkit does. No error repeats a password hash.
 */
public final class WebConfigLoader {

  static final List<String> KEYS =
      List.of("tls_server_config", "http_server_config", "basic_auth_users");

  static final List<String> HTTP_KEYS = List.of("http2", "headers");

  /** The headers that the exporter-toolkit allows, each with a pattern of its valid values. */
  static final Map<String, Pattern> HEADERS = headers();

  /** A bcrypt hash in the modular crypt format: version, two-digit cost, salt and hash. */
  private static final Pattern BCRYPT_HASH =
      Pattern.compile("\\$2[aby]\\$(\\d\\d)\\$[./A-Za-z0-9]{53}");

  private static final String HASH_HINT =
      "Create a hash with: htpasswd -nBC 10 \"\" | tr -d ':\\n'";

  private static final Logger logger = LoggerFactory.getLogger(WebConfigLoader.class);

  /**
   * Reads and checks a web config file.
   *
   * @throws ConfigException with every error found, each line starting with the file name
   */
  public WebConfig load(Path file) throws ConfigException {
    Path directory = file.toAbsolutePath().getParent();
    return parse(ConfigLoader.readFile(file), file.toString(), directory);
  }

  /**
   * Parses and checks web config YAML.
   *
   * @param directory the directory that relative file paths are resolved against
   * @throws ConfigException with every error found
   */
  public WebConfig parse(String yaml, String sourceName, Path directory) throws ConfigException {
    JsonNode root = YamlDocument.readOptional(yaml, sourceName, KEYS);
    if (root == null) {
      return WebConfig.PLAIN;
    }
    Problems problems = new Problems(sourceName);
    ConfigNode config = ConfigNode.root(root, problems);
    config.allowOnlyKeys(KEYS, Map.of("rate_limit",
        "is not supported by this agent. Remove it, and limit request rates in a reverse proxy"
            + " if needed"));
    TlsServerSettings tls =
        new TlsSettingsReader(directory).read(config.get("tls_server_config")).orElse(null);
    ConfigNode http = config.get("http_server_config");
    boolean http2 = true;
    Map<String, String> headers = Map.of();
    if (http.isMapping(HTTP_KEYS)) {
      http.allowOnlyKeys(HTTP_KEYS);
      http2 = http.get("http2").bool(true);
      headers = readHeaders(http.get("headers"));
    }
    Map<String, String> users = readUsers(config.get("basic_auth_users"));
    for (String warning : problems.warnings()) {
      logger.warn(warning);
    }
    problems.throwIfAny();
    return new WebConfig(tls, headers, users, http2);
  }

  private static Map<String, String> readHeaders(ConfigNode node) {
    Map<String, String> headers = new LinkedHashMap<>();
    List<String> names = List.copyOf(HEADERS.keySet());
    if (!node.isMapping(names)) {
      return headers;
    }
    node.allowOnlyKeys(names);
    for (String name : node.keys()) {
      ConfigNode value = node.get(name);
      Optional<String> text = value.text("a header value");
      // The exporter-toolkit leaves a header unset when its value is blank.
      if (text.isEmpty() || text.get().isBlank() || !HEADERS.containsKey(name)) {
        continue;
      }
      if (!HEADERS.get(name).matcher(text.get()).matches()) {
        value.error("invalid value " + Echo.quote(text.get()) + " for the header " + name
            + ". " + allowedValues(name));
        continue;
      }
      headers.put(name, text.get());
    }
    return headers;
  }

  private static String allowedValues(String header) {
    return switch (header) {
      case "X-Frame-Options" -> "Use deny or sameorigin";
      case "X-Content-Type-Options" -> "Use nosniff";
      default -> "Remove the line breaks and control characters";
    };
  }

  private static Map<String, String> readUsers(ConfigNode node) {
    Map<String, String> users = new LinkedHashMap<>();
    if (!node.isMapping(List.of("<user name>"))) {
      return users;
    }
    for (String user : node.keys()) {
      ConfigNode hash = node.get(user);
      if (user.isEmpty() || user.contains(":") || user.chars().anyMatch(Character::isISOControl)) {
        hash.error("invalid user name: it must not be empty or contain a colon or control"
            + " characters, because basic auth sends user:password");
        continue;
      }
      readHash(hash).ifPresent(valid -> users.put(user, valid));
    }
    return users;
  }

  private static Optional<String> readHash(ConfigNode hash) {
    Optional<String> text = hash.secretText();
    if (text.isEmpty()) {
      hash.error("expected a bcrypt hash as a string (value not shown). " + HASH_HINT);
      return Optional.empty();
    }
    var match = BCRYPT_HASH.matcher(text.get());
    if (!match.matches()) {
      hash.error("not a bcrypt hash (value not shown). Expected $2a$, $2b$ or $2y$, a two-digit"
          + " cost and 53 characters of salt and hash. " + HASH_HINT);
      return Optional.empty();
    }
    int cost = Integer.parseInt(match.group(1));
    if (cost < 4 || cost > 31) {
      hash.error("the bcrypt cost " + cost + " is outside 4 to 31. " + HASH_HINT);
      return Optional.empty();
    }
    return text;
  }

  private static Map<String, Pattern> headers() {
    Map<String, Pattern> headers = new LinkedHashMap<>();
    Pattern printable = Pattern.compile("[^\\p{Cntrl}]*");
    headers.put("Content-Security-Policy", printable);
    headers.put("X-Frame-Options", Pattern.compile("(?i)deny|sameorigin"));
    headers.put("X-Content-Type-Options", Pattern.compile("(?i)nosniff"));
    headers.put("X-XSS-Protection", printable);
    headers.put("Strict-Transport-Security", printable);
    return Collections.unmodifiableMap(headers);
  }
}
