package io.github.keyprotectexporter.e2e;

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
    return new Started(process, port, config);
  }
}
