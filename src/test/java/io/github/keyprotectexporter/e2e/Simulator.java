package io.github.keyprotectexporter.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

/**
 * Starts {@code simulate} from the packaged jar with a scenario and has it write an agent config
 * that points at it.
 */
final class Simulator {

  /** The API key that the agent passes to the simulator, which accepts any non-empty key. */
  static final String API_KEY = "simulated";

  private Simulator() {}

  /** A running simulator and the agent config it wrote. */
  record Started(AgentProcess process, int port, Path agentConfig) {}

  /**
   * Starts the simulator and waits until its config file is written.
   *
   * @param scenario a built-in scenario name or a scenario file
   */
  static Started start(AgentProcesses processes, String scenario, Path dir) {
    Path config = dir.resolve("agent-" + Math.abs(scenario.hashCode()) + ".yaml");
    AgentProcess process = processes.start("simulate",
        "simulate", "--scenario=" + scenario, "--listen-address=127.0.0.1:0",
        "--write-config=" + config);
    int port = process.simulatorPort();
    process.awaitStderr("Agent config written");
    warmUp(port);
    return new Started(process, port, config);
  }

  /**
   * Requests one token, so that the simulator's first response to the agent is not slowed by
   * class loading. The agent config written by the simulator allows 3 s per request.
   */
  private static void warmUp(int port) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
            + "/identity/token"))
        .header("Content-Type", "application/x-www-form-urlencoded")
        .POST(HttpRequest.BodyPublishers.ofString(
            "grant_type=urn:ibm:params:oauth:grant-type:apikey&apikey=" + API_KEY))
        .build();
    try {
      HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
    } catch (IOException e) {
      throw new UncheckedIOException("Warm-up request to the simulator failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
