package io.github.keyprotectexporter.e2e;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Starts and stops the processes of the alert chain: simulators and agents from the packaged
 * jar, Prometheus and Alertmanager from their Debian packages. Everything listens on 127.0.0.1
 * and writes its data and log into one work directory.
 */
final class ChainProcesses implements AutoCloseable {

  private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
  private static final Pattern AGENT_PORT = Pattern.compile("Web server listening .* port=(\\d+)");

  private final Path workDirectory;
  private final Path jar;
  private final List<Process> started = new ArrayList<>();

  /** An agent that polls its own simulator, scraped by Prometheus at {@link #target()}. */
  record SimulatedAgent(String name, int port, Path config) {

    String target() {
      return "127.0.0.1:" + port;
    }
  }

  ChainProcesses(Path workDirectory, Path jar) {
    this.workDirectory = workDirectory;
    this.jar = jar;
  }

  /**
   * Starts a simulator playing {@code scenario} (a built-in name or a file) and an agent that
   * polls it. With {@code poll}, the agent's poll section is replaced by it; without, the agent
   * keeps the demo timings that {@code simulate --write-config} writes.
   */
  SimulatedAgent startSimulatorAndAgent(String name, String scenario, Map<String, Object> poll)
      throws IOException {
    return startSimulatorAndAgent(name, scenario, poll, null);
  }

  /**
   * Starts a simulator playing {@code scenario} that writes its units, with their master-key
   * check values, to an adapter file, and an agent whose config reads every instance from that
   * file. The agent gets no API key, because such a config needs none. {@code poll} is handled
   * as in {@link #startSimulatorAndAgent(String, String, Map)}.
   */
  SimulatedAgent startAdapterFileSimulatorAndAgent(String name, String scenario,
      Map<String, Object> poll) throws IOException {
    Path adapterFile = workDirectory.resolve(name + "-units.json");
    return startSimulatorAndAgent(name, scenario, poll, adapterFile);
  }

  private SimulatedAgent startSimulatorAndAgent(String name, String scenario,
      Map<String, Object> poll, Path adapterFile) throws IOException {
    Path config = workDirectory.resolve(name + "-agent.yaml");
    List<String> simulate = new ArrayList<>(List.of(javaCommand(), "-Xmx96m", "-jar",
        jar.toString(), "simulate", "--scenario=" + scenario, "--listen-address=127.0.0.1:0",
        "--write-config=" + config));
    if (adapterFile != null) {
      simulate.add("--write-adapter-file=" + adapterFile);
    }
    start(name + "-simulator", simulate, true);
    await().atMost(START_TIMEOUT)
        .until(() -> Files.isRegularFile(config) && Files.size(config) > 0);
    if (poll != null) {
      ChainConfigs.setPollSettings(config, poll);
    }
    Path agentLog = start(name + "-agent", List.of(javaCommand(), "-Xmx96m", "-jar",
        jar.toString(), "run", "--config.file=" + config, "--web.listen-address=127.0.0.1:0"),
        adapterFile == null);
    int port = await().atMost(START_TIMEOUT).until(() -> agentPort(agentLog), p -> p > 0);
    return new SimulatedAgent(name, port, config);
  }

  /**
   * Starts Prometheus with {@code config}, lifecycle endpoints for reloading it, and a resend
   * delay of 2 s: the default 1 m divided by {@link ChainConfigs#TIME_SCALE}. Prometheus 2.42
   * drops alerts that fire in the first seconds after a reload, before it has found the
   * Alertmanager again, and sends a firing alert again only after the resend delay.
   */
  PrometheusHttpApi startPrometheus(Path binary, Path config) throws IOException {
    int port = freePort();
    Path data = Files.createDirectories(workDirectory.resolve("prometheus-data"));
    start("prometheus", List.of(binary.toString(), "--config.file=" + config,
        "--storage.tsdb.path=" + data, "--web.listen-address=127.0.0.1:" + port,
        "--web.external-url=http://127.0.0.1:" + port + "/", "--web.enable-lifecycle",
        "--rules.alert.resend-delay=2s"), false);
    return awaitReady(new PrometheusHttpApi(port), port);
  }

  /** Starts Alertmanager with {@code config}, without its cluster port. */
  PrometheusHttpApi startAlertmanager(Path binary, Path config) throws IOException {
    int port = freePort();
    Path data = Files.createDirectories(workDirectory.resolve("alertmanager-data"));
    start("alertmanager", List.of(binary.toString(), "--config.file=" + config,
        "--storage.path=" + data, "--web.listen-address=127.0.0.1:" + port,
        "--web.external-url=http://127.0.0.1:" + port + "/", "--cluster.listen-address="), false);
    return awaitReady(new PrometheusHttpApi(port), port);
  }

  /** Returns a port that was free a moment ago, for servers that cannot report a port 0. */
  static int freePort() throws IOException {
    // NOTE: another process may take the port before the server binds it; the start then fails
    // with "address already in use" in its log.
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  Path logOf(String name) {
    return workDirectory.resolve(name + ".log");
  }

  /** Stops every started process, newest first, and waits for each to end. */
  @Override
  public void close() throws InterruptedException {
    for (int i = started.size() - 1; i >= 0; i--) {
      Process process = started.get(i);
      process.destroy();
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
      }
    }
    started.clear();
  }

  /** Starts {@code command}, with the simulator's API key in its environment when asked. */
  private Path start(String name, List<String> command, boolean withApiKey) throws IOException {
    Path log = logOf(name);
    ProcessBuilder builder = new ProcessBuilder(command).directory(workDirectory.toFile())
        .redirectErrorStream(true).redirectOutput(log.toFile());
    builder.environment().remove("IBMCLOUD_API_KEY");
    if (withApiKey) {
      builder.environment().put("IBMCLOUD_API_KEY", "simulated");
    }
    started.add(builder.start());
    return log;
  }

  private PrometheusHttpApi awaitReady(PrometheusHttpApi api, int port) {
    await().atMost(START_TIMEOUT).pollInterval(Duration.ofMillis(200))
        .alias("server on 127.0.0.1:" + port + " ready").until(api::ready);
    return api;
  }

  private static int agentPort(Path log) throws IOException {
    if (!Files.exists(log)) {
      return 0;
    }
    // Latin-1 never fails on a line the agent is still writing.
    String text = new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1);
    Matcher matcher = AGENT_PORT.matcher(text);
    return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
  }

  private static String javaCommand() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
