package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.Durations;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.simulator.AdapterFileWriter;
import io.github.keyprotectexporter.simulator.SimulatorServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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

/** Serves the simulated Key Protect API and IAM endpoint until stopped. */
@Command(
    name = "simulate",
    mixinStandardHelpOptions = true,
    description = "Serve a simulated Key Protect API and IAM token endpoint driven by a scenario.")
final class SimulateCommand implements Callable<Integer> {

  private static final Logger logger = LoggerFactory.getLogger(SimulateCommand.class);

  @Mixin SimulatorOptions simulator;

  @Option(
      names = "--listen-address",
      defaultValue = "127.0.0.1:9796",
      paramLabel = "[HOST]:PORT",
      converter = ListenAddressConverter.class,
      description = "Address of the simulator (default: ${DEFAULT-VALUE}).")
  ListenAddress address;

  @Option(
      names = "--write-config",
      paramLabel = "FILE",
      description = "Write an agent config for the simulated instances to FILE, then keep serving.")
  Path configFile;

  @Option(
      names = "--write-adapter-file",
      paramLabel = "FILE",
      description = {
        "Also write the simulated units, with their master-key check values, to the adapter",
        "file FILE every second. With --write-config, the config then reads this file."
      })
  Path adapterFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter err = spec.commandLine().getErr();
    Shutdown shutdown = Shutdown.install();
    SimulatorServer server;
    try {
      server = SimulatorServer.builder(simulator.scenario)
          .host(address.host() == null ? "0.0.0.0" : address.host())
          .port(address.port())
          .build()
          .start();
    } catch (RuntimeException e) {
      return StartupFailure.report(err, "Cannot start the simulator: " + e.getMessage());
    }
    shutdown.closeOnStop(server);
    AdapterFileWriter adapterWriter = null;
    if (adapterFile != null) {
      adapterWriter = new AdapterFileWriter(server, adapterFile, Clock.systemUTC());
      shutdown.closeOnStop(adapterWriter);
      try {
        adapterWriter.start(Duration.ofSeconds(1));
      } catch (UncheckedIOException e) {
        server.close();
        return StartupFailure.report(err, "Cannot write " + adapterFile + ": "
            + e.getCause().getMessage());
      }
    }
    if (configFile != null) {
      try {
        writeAgentConfig(server, configFile, adapterFile);
      } catch (IOException e) {
        server.close();
        return StartupFailure.report(err, "Cannot write " + configFile + ": " + e.getMessage());
      }
      logger.info("Agent config written path={}", configFile);
    }
    shutdown.await();
    return ExitCodes.OK;
  }

  /**
   * Writes a config that points the agent at this simulator, with demo-friendly timings. Without
   * an adapter file, crypto-units polls and key-operation probes go to the simulator's API; with
   * one, every instance reads its units from that file and needs no API key, so no probe runs.
   */
  static void writeAgentConfig(SimulatorServer server, Path file, Path adapterFile)
      throws IOException {
    StringBuilder yaml = new StringBuilder();
    yaml.append("# Written by `keyprotect-exporter simulate`: the agent polls the simulator.\n")
        .append(adapterFile == null
            ? "# Any non-empty API key works, for example IBMCLOUD_API_KEY=simulated.\n"
            : "# Every instance reads the adapter file, so the agent needs no API key.\n")
        .append("poll:\n")
        .append("  interval: ").append(Durations.format(DemoCommand.DEMO_POLL.interval()))
        .append("\n  timeout: ").append(Durations.format(DemoCommand.DEMO_POLL.timeout()))
        .append("\n  stale_after: ").append(Durations.format(DemoCommand.DEMO_POLL.staleAfter()))
        .append("\n  warm_up: ").append(Durations.format(DemoCommand.DEMO_POLL.warmUp()))
        .append("\n  concurrency: ").append(DemoCommand.DEMO_POLL.concurrency())
        .append("\niam:\n  url: ").append(server.tokenUrl())
        .append("\n  api_key_env: IBMCLOUD_API_KEY\ninstances:\n");
    for (InstanceConfig instance : server.instanceConfigs(DemoCommand.DEMO_PROBE_INTERVAL)) {
      yaml.append("  - id: ").append(instance.id())
          .append("\n    name: ").append(instance.name())
          .append("\n    region: ").append(instance.region())
          .append("\n    endpoint: ").append(instance.endpoint()).append('\n');
      if (adapterFile != null) {
        yaml.append("    source:\n      type: file\n      path: ")
            .append(adapterFile.toAbsolutePath()).append('\n');
      } else {
        yaml.append("    probe:\n      enabled: true")
            .append("\n      interval: ").append(Durations.format(instance.probe().interval()))
            .append("\n      endpoint: ").append(instance.probe().endpoint()).append('\n');
      }
    }
    Files.writeString(file, yaml, StandardCharsets.UTF_8);
  }
}
