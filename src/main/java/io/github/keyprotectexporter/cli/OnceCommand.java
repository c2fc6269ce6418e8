package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ApiKeyLoader;
import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.ConfigFile;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.PollListener;
import io.github.keyprotectexporter.polling.Poller;
import io.github.keyprotectexporter.polling.ProbeListener;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import io.github.keyprotectexporter.sources.CryptoUnitSources;
import io.github.keyprotectexporter.sources.RoutingCryptoUnitSource;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** Polls every instance once and prints a verdict, for cron jobs and Nagios-style checks. */
@Command(
    name = "once",
    mixinStandardHelpOptions = true,
    description = {
      "Poll every instance once and print a verdict, like a Nagios plugin.",
      "Probes run too where enabled. Prints a table per instance and exits 0 (OK),",
      "1 (warning), 2 (critical) or 3 (unknown, also for an invalid config)."
    })
final class OnceCommand implements Callable<Integer> {

  @Mixin ConfigFileOption config;

  @Mixin ShardOption shardOption;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    ExporterConfig loaded;
    Secret apiKey;
    try {
      ConfigFile file = config.loadWithShard();
      loaded = ShardOption.apply(shardOption.resolve(file), file.config());
      // Instances read only from files or commands need no API key.
      apiKey = CryptoUnitSources.needsApiKey(loaded)
          ? new ApiKeyLoader().load(loaded.iam())
          : null;
    } catch (ConfigException e) {
      // Exit 3, not 2: a plugin that cannot check reports UNKNOWN, and 2 would read as CRITICAL.
      StartupFailure.report(spec.commandLine().getErr(), "Cannot check with config file "
          + config.file, e);
      return Verdict.Status.UNKNOWN.exitCode();
    }
    Clock clock = Clock.systemUTC();
    SnapshotStore store = new SnapshotStore(loaded.instances());
    RoutingCryptoUnitSource source;
    try {
      source = CryptoUnitSources.create(loaded, apiKey, ApiRequestListener.NONE, clock,
          System.getenv());
    } catch (IllegalArgumentException e) {
      StartupFailure.report(spec.commandLine().getErr(), "Cannot check: " + e.getMessage());
      return Verdict.Status.UNKNOWN.exitCode();
    }
    try (source;
        Poller poller = new Poller(loaded.poll(), loaded.instances(), source, store,
            PollListener.NONE, source.keyProbe(), ProbeListener.NONE, clock)) {
      poller.pollAllOnce();
      List<InstanceSnapshot> snapshots = store.all();
      return OnceReport.print(snapshots, store::probe, clock.instant(),
          spec.commandLine().getOut()).exitCode();
    }
  }
}
