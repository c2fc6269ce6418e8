package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.WebConfig;
import io.github.keyprotectexporter.config.WebConfigLoader;
import io.github.keyprotectexporter.http.WebSecurity;
import java.nio.file.Path;
import java.time.Clock;
import picocli.CommandLine.Option;

/** The options that protect the web endpoints, shared by the commands that serve them. */
final class WebConfigOptions {

  /** Environment variable that sets the default of {@code --web.config.file}. */
  static final String FILE_ENV = "KEYPROTECT_WEB_CONFIG_FILE";

  @Option(
      names = "--web.config.file",
      defaultValue = "${env:" + FILE_ENV + "}",
      paramLabel = "FILE",
      description = "Web config file with TLS, basic-auth users and response headers, in the"
          + " Prometheus exporter-toolkit format (default: $" + FILE_ENV + ", else none).")
  Path file;

  @Option(
      names = "--web.health-without-auth",
      description = "Serve /-/healthy and /-/ready without basic auth or a client certificate,"
          + " so that container health checks work.")
  boolean healthWithoutAuth;

  /** Returns the web config, {@link WebConfig#PLAIN} when no file is given. */
  WebConfig loadConfig() throws ConfigException {
    return file == null ? WebConfig.PLAIN : new WebConfigLoader().load(file);
  }

  /**
   * Loads the web config and reads its TLS files.
   *
   * @throws ConfigException with one line per problem
   */
  WebSecurity load() throws ConfigException {
    return WebSecurity.load(loadConfig(), healthWithoutAuth, Clock.systemUTC());
  }
}
