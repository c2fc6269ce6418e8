package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ApiKeyLoader;
import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.LoadedConfig;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.config.Shard;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.sources.CryptoUnitSources;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.concurrent.Callable;
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

  @Mixin ConfigFileOption config;

  @Option(
      names = "--web.listen-address",
      defaultValue = Main.DEFAULT_LISTEN_ADDRESS,
      paramLabel = "[HOST]:PORT",
      converter = ListenAddressConverter.class,
      description = "Address for /metrics and the other endpoints (default: ${DEFAULT-VALUE}).")
  ListenAddress address;

  @Mixin ShardOption shardOption;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    ExporterConfig loaded;
    Shard shard;
    Secret apiKey;
    try {
      LoadedConfig file = config.loadWithShard();
      shard = shardOption.resolve(file);
      loaded = ShardOption.apply(shard, file.config());
      // Instances read only from files or commands need no API key.
      apiKey = CryptoUnitSources.needsApiKey(loaded)
          ? new ApiKeyLoader().load(loaded.iam())
          : null;
    } catch (ConfigException e) {
      return StartupFailure.report(err, "Cannot start with config file " + config.file, e);
    }
    Shutdown shutdown = Shutdown.install();
    Agent agent;
    try {
      agent = Agent.start(loaded, apiKey, address, Clock.systemUTC(), shard);
    } catch (IllegalStateException | IllegalArgumentException e) {
      return StartupFailure.report(err, "Cannot start: " + e.getMessage());
    }
    shutdown.closeOnStop(agent);
    shutdown.await();
    return ExitCodes.OK;
  }
}
