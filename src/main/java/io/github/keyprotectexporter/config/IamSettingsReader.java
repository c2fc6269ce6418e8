package io.github.keyprotectexporter.config;

import java.net.URI;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Reads and checks the {@code iam} section. Without {@code api_key_env} and {@code api_key_file},
 * the key comes from {@link IamSettings#DEFAULT_API_KEY_ENV}.
 */
final class IamSettingsReader {

  static final List<String> KEYS = List.of("url", "api_key_env", "api_key_file");

  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final String PASTED_KEY =
      "looks like an API key, so it is not shown. Put the key into an environment variable or a"
          + " file, name that here, and revoke the key if the configuration was shared";

  private IamSettingsReader() {}

  static IamSettings read(ConfigNode iam) {
    if (!iam.isMapping(KEYS)) {
      return new IamSettings(IamSettings.DEFAULT_URL, IamSettings.DEFAULT_API_KEY_ENV, null);
    }
    iam.allowOnlyKeys(KEYS);
    URI url =
        HttpUrls.read(iam.get("url"), IamSettings.DEFAULT_URL.toString(), "the API key")
            .orElse(IamSettings.DEFAULT_URL);
    ConfigNode envNode = iam.get("api_key_env");
    ConfigNode fileNode = iam.get("api_key_file");
    String env = readEnvName(envNode).orElse(null);
    Path file = readFile(fileNode).orElse(null);
    if (!envNode.isAbsent() && !fileNode.isAbsent()) {
      iam.error(
          "api_key_env and api_key_file are both set. Keep only the one that holds the API key");
    }
    if (envNode.isAbsent() && fileNode.isAbsent()) {
      env = IamSettings.DEFAULT_API_KEY_ENV;
    }
    return new IamSettings(url, env, file);
  }

  private static Optional<String> readEnvName(ConfigNode node) {
    Optional<String> name =
        node.text("the name of an environment variable such as IBMCLOUD_API_KEY");
    if (name.isEmpty()) {
      return name;
    }
    if (Echo.looksLikeApiKey(name.get())) {
      node.error("the value " + PASTED_KEY);
      return Optional.empty();
    }
    if (!ENV_NAME.matcher(name.get()).matches()) {
      node.error(
          Echo.quote(name.get())
              + " is not a valid environment variable name. Use letters,"
              + " digits and underscores, not starting with a digit, such as IBMCLOUD_API_KEY");
      return Optional.empty();
    }
    return name;
  }

  private static Optional<Path> readFile(ConfigNode node) {
    Optional<String> text = node.text("the path of the file that holds the API key");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (Echo.looksLikeApiKey(text.get())) {
      node.error("the value " + PASTED_KEY);
      return Optional.empty();
    }
    if (text.get().isBlank()) {
      node.error(
          "the path is empty. Give the file that holds the API key, such as"
              + " /run/secrets/ibmcloud-api-key");
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(text.get()));
    } catch (InvalidPathException e) {
      node.error(Echo.quote(text.get()) + " is not a valid path: " + e.getReason());
      return Optional.empty();
    }
  }
}
