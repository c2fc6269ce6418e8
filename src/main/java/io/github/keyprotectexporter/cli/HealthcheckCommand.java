package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.WebConfig;
import io.github.keyprotectexporter.config.WebConfigLoader;
import io.github.keyprotectexporter.http.ListenAddress;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Asks a running agent whether it is healthy. Container images often lack curl and wget, so the
 * Dockerfile's HEALTHCHECK calls this instead. With a web config that enables TLS it connects
 * with HTTPS and trusts exactly the certificate in {@code cert_file}.
 */
@Command(
    name = "healthcheck",
    mixinStandardHelpOptions = true,
    description = "Exit 0 if the agent at the listen address responds to /-/healthy with 200, else 1.")
final class HealthcheckCommand implements Callable<Integer> {

  @Option(
      names = "--web.listen-address",
      defaultValue = Main.DEFAULT_LISTEN_ADDRESS,
      converter = ListenAddressConverter.class,
      description = "Address of the agent to check (default: ${DEFAULT-VALUE}).")
  ListenAddress address;

  @Option(
      names = "--web.config.file",
      defaultValue = "${env:" + WebConfigOptions.FILE_ENV + "}",
      paramLabel = "FILE",
      description = "The agent's web config file; with TLS in it, the check uses HTTPS"
          + " (default: $" + WebConfigOptions.FILE_ENV + ", else none).")
  Path webConfigFile;

  @Option(
      names = "--timeout",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How long to wait for the response (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    WebConfig web;
    try {
      web = webConfigFile == null ? WebConfig.PLAIN : new WebConfigLoader().load(webConfigFile);
    } catch (ConfigException e) {
      return StartupFailure.report(err, "Cannot check with web config file " + webConfigFile, e);
    }
    String host = address.host() == null || address.host().isEmpty() ? "127.0.0.1" : address.host();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    String scheme = web.hasTls() ? "https" : "http";
    URI uri = URI.create(scheme + "://" + host + ":" + address.port() + "/-/healthy");
    try {
      int status = new HealthcheckClient(web, timeout).get(uri);
      if (status == 200) {
        return ExitCodes.OK;
      }
      err.println("Health check failed: " + uri + " answered HTTP " + status + hint(status));
    } catch (ConfigException e) {
      return StartupFailure.report(err, "Cannot check with web config file " + webConfigFile, e);
    } catch (SSLException e) {
      err.println("Health check failed: TLS handshake with " + uri + " failed: " + e.getMessage()
          + ". Check that --web.config.file names the agent's web config, and start the agent"
          + " with --web.health-without-auth if it requires client certificates");
    } catch (IOException e) {
      err.println("Health check failed: " + uri + " is not reachable: " + e);
    }
    err.flush();
    return ExitCodes.FAILURE;
  }

  private static String hint(int status) {
    return status == 401 || status == 403
        ? ". Start the agent with --web.health-without-auth, so that /-/healthy needs no login"
        : "";
  }
}
