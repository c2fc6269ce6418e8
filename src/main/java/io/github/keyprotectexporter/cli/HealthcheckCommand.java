package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.http.ListenAddress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Asks a running agent whether it is healthy. Container images often lack curl and wget, so the
 * Dockerfile's HEALTHCHECK calls this instead.
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
      names = "--timeout",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "How long to wait for the response (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Override
  public Integer call() throws InterruptedException {
    String host = address.host() == null || address.host().isEmpty() ? "127.0.0.1" : address.host();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    URI uri = URI.create("http://" + host + ":" + address.port() + "/-/healthy");
    HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
    try {
      HttpResponse<Void> response = client.send(
          HttpRequest.newBuilder(uri).timeout(timeout).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      if (response.statusCode() == 200) {
        return ExitCodes.OK;
      }
      System.err.println("Health check failed: " + uri + " answered HTTP " + response.statusCode());
    } catch (IOException e) {
      System.err.println("Health check failed: " + uri + " is not reachable: " + e);
    }
    return ExitCodes.FAILURE;
  }
}
