package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.ConfigLoader;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.FileSourceConfig;
import io.github.keyprotectexporter.model.MasterKeyCheckValues;
import io.github.keyprotectexporter.simulator.AdapterFileWriter;
import io.github.keyprotectexporter.simulator.BuiltInScenarios;
import io.github.keyprotectexporter.simulator.SimulatorServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code once} on a config that {@code simulate} writes for its adapter file. */
class OnceWithAdapterFileTest {

  private static final String ID = "5e0d2c7a-41b8-4f96-9d3e-00000000d1ff";

  @TempDir Path directory;

  @Test
  void writtenConfigReadsAdapterFile() throws Exception {
    Path adapterFile = directory.resolve("units.json");
    Path configFile = directory.resolve("agent.yaml");
    try (SimulatorServer server =
        SimulatorServer.builder(BuiltInScenarios.load("master-key-check-values")).build().start()) {
      SimulateCommand.writeAgentConfig(server, configFile, adapterFile);
    }

    ExporterConfig config = new ConfigLoader().load(configFile);

    assertThat(config.instances()).singleElement()
        .satisfies(instance -> assertThat(instance.source())
            .isEqualTo(new FileSourceConfig(adapterFile.toAbsolutePath(), null)));
  }

  @Test
  void mismatchIsCriticalWithoutApiKey() throws Exception {
    Path adapterFile = directory.resolve("units.json");
    Path configFile = directory.resolve("agent.yaml");
    ScenarioClock scenarioClock = new ScenarioClock(Instant.now());
    try (SimulatorServer server = SimulatorServer.builder(
        BuiltInScenarios.load("master-key-check-values")).clock(scenarioClock).build().start()) {
      SimulateCommand.writeAgentConfig(server, configFile, adapterFile);
      // 45 seconds into the scenario, the third unit has another master key.
      scenarioClock.now = scenarioClock.now.plusSeconds(45);
      new AdapterFileWriter(server, adapterFile, Clock.systemUTC()).write();
    }
    String output;
    int exitCode;
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      exitCode = Main.execute("once", "--config.file=" + configFile);
    } finally {
      System.setOut(original);
    }
    output = captured.toString(StandardCharsets.UTF_8);

    assertThat(exitCode).isEqualTo(Verdict.Status.CRITICAL.exitCode());
    assertThat(output).contains("Instance " + ID + " payments-dr (eu-de): CRITICAL")
        .contains("  - MISMATCH: the crypto units report 2 different master-key check values")
        .contains("CHECK VALUE HASH")
        .contains(MasterKeyCheckValues.hash("E51D77"))
        .doesNotContain("E51D77");
  }

  /** A clock for the scenario timeline that the test moves by hand. */
  private static final class ScenarioClock extends Clock {

    private volatile Instant now;

    ScenarioClock(Instant start) {
      this.now = start;
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
