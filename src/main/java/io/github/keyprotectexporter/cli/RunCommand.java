package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.ConfigFile;
import io.github.keyprotectexporter.config.Shard;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.http.WebSecurity;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Runs the agent against the configured instances until it is stopped. */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    description = "Poll the configured instances and serve /metrics (the default command).")
final class RunCommand implements Callable<Integer> {

  private static final Logger logger = LoggerFactory.getLogger(RunCommand.class);

  @Mixin ConfigFileOption config;

  @Option(
      names = "--web.listen-address",
      defaultValue = Main.DEFAULT_LISTEN_ADDRESS,
      paramLabel = "[HOST]:PORT",
      converter = ListenAddressConverter.class,
      description = "Address for /metrics and the other endpoints (default: ${DEFAULT-VALUE}).")
  ListenAddress address;

  @Option(
      names = "--config.watch",
      description = "Reload the config file soon after it changes, as SIGHUP and POST /-/reload"
          + " do. Watches the file's directory, so a file replaced by renaming is seen too.")
  boolean watchConfig;

  @Mixin WebConfigOptions web;

  @Mixin ShardOption shardOption;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    LoadedConfig loaded;
    Shard shard;
    try {
      ConfigFile file = config.loadWithShard();
      shard = shardOption.resolve(file);
      loaded = LoadedConfig.of(ShardOption.apply(shard, file.config()));
    } catch (ConfigException e) {
      return StartupFailure.report(err, "Cannot start with config file " + config.file, e);
    }
    WebSecurity security;
    try {
      security = web.load();
    } catch (ConfigException e) {
      return StartupFailure.report(err, "Cannot start with web config file " + web.file, e);
    }
    Shutdown shutdown = Shutdown.install();
    // Installed before the agent starts: the JVM's own SIGHUP handling would stop the process,
    // and a SIGHUP may come as soon as the first poll is visible.
    AtomicReference<Agent> started = new AtomicReference<>();
    HangupSignal.handle(() -> reloadOnHangup(started.get()));
    Agent agent;
    try {
      agent = Agent.start(loaded, () -> LoadedConfig.read(config.file, shard), address, security,
          shard, Clock.systemUTC());
    } catch (IllegalStateException | IllegalArgumentException e) {
      return StartupFailure.report(err, "Cannot start: " + e.getMessage());
    }
    started.set(agent);
    shutdown.closeOnStop(agent);
    if (watchConfig) {
      // Closed before the agent, so that no reload starts while the agent stops.
      shutdown.closeOnStop(
          ConfigFileWatcher.start(config.file, () -> agent.reload("config file change")));
    }
    shutdown.await();
    return ExitCodes.OK;
  }

  private static void reloadOnHangup(Agent agent) {
    if (agent == null) {
      logger.warn("SIGHUP ignored because the agent is still starting; send it again once started");
      return;
    }
    agent.reload("SIGHUP");
  }
}
