package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.config.Shard;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.http.WebSecurity;
import io.github.keyprotectexporter.simulator.SimulatorServer;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the simulator and the agent in one process, so that a new user sees data in seconds. */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = "Start the simulator and the agent together on 127.0.0.1.")
final class DemoCommand implements Callable<Integer> {

  /**
   * Poll timings short enough that the demo's 20-second steps show on /metrics at once, including
   * a visible warm-up when a unit reaches kms-initialized.
   */
  static final PollSettings DEMO_POLL = new PollSettings(Duration.ofSeconds(5),
      Duration.ofSeconds(3), Duration.ofSeconds(20), Duration.ofSeconds(15), 4);

  /** Key-operation probe interval, short enough to show a master-key mismatch step at once. */
  static final Duration DEMO_PROBE_INTERVAL = Duration.ofSeconds(5);

  private static final Logger logger = LoggerFactory.getLogger(DemoCommand.class);

  @Mixin SimulatorOptions simulator;

  @Option(
      names = "--web.listen-address",
      defaultValue = "127.0.0.1:9795",
      paramLabel = "[HOST]:PORT",
      converter = ListenAddressConverter.class,
      description = "Address of the agent's endpoints (default: ${DEFAULT-VALUE}).")
  ListenAddress address;

  @Mixin WebConfigOptions web;

  @Mixin ShardOption shardOption;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    WebSecurity security;
    try {
      security = web.load();
    } catch (ConfigException e) {
      return StartupFailure.report(err, "Cannot start with web config file " + web.file, e);
    }
    Shutdown shutdown = Shutdown.install();
    SimulatorServer server = SimulatorServer.builder(simulator.scenario).build().start();
    shutdown.closeOnStop(server);
    ExporterConfig config = new ExporterConfig(DEMO_POLL,
        new IamSettings(server.tokenUrl(), IamSettings.DEFAULT_API_KEY_ENV, null),
        server.instanceConfigs(DEMO_PROBE_INTERVAL));
    Shard shard = shardOption.shard == null ? Shard.ALL : shardOption.shard;
    Agent agent;
    try {
      agent = Agent.start(ShardOption.apply(shard, config), new Secret("simulated-api-key"),
          address, security, shard, Clock.systemUTC());
    } catch (IllegalStateException e) {
      server.close();
      return StartupFailure.report(err, "Cannot start: " + e.getMessage());
    }
    String base = security.scheme() + "://" + hostForLinks(address) + ":" + agent.port();
    logger.info("Demo running: open {}/ or curl {}/metrics", base, base);
    shutdown.closeOnStop(agent);
    shutdown.await();
    return ExitCodes.OK;
  }

  private static String hostForLinks(ListenAddress address) {
    String host = address.host() == null ? "127.0.0.1" : address.host();
    return host.contains(":") ? "[" + host + "]" : host;
  }
}
