package io.github.keyprotectexporter.config;

import java.net.URI;
import java.nio.file.Path;

/**
 * The IAM token endpoint and the location of the API key. Exactly one of {@code apiKeyEnv} and
 * {@code apiKeyFile} is set, because the key itself never appears in the config.
 *
 * @param url the IAM token endpoint
 * @param apiKeyEnv name of the environment variable holding the API key, or null
 * @param apiKeyFile file holding the API key, or null
 */
public record IamSettings(URI url, String apiKeyEnv, Path apiKeyFile) {

  public static final URI DEFAULT_URL = URI.create("https://iam.cloud.ibm.com/identity/token");
  public static final String DEFAULT_API_KEY_ENV = "IBMCLOUD_API_KEY";
}
