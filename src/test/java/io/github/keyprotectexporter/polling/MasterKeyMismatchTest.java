package io.github.keyprotectexporter.polling;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.FileSourceConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.model.MasterKeyCheckValues;
import io.github.keyprotectexporter.simulator.AdapterFileWriter;
import io.github.keyprotectexporter.simulator.BuiltInScenarios;
import io.github.keyprotectexporter.simulator.SimulatorServer;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import io.github.keyprotectexporter.sources.CryptoUnitSources;
import io.github.keyprotectexporter.testing.MutableClock;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The simulator's adapter file, the file source, the poller and the metrics together: the
 * built-in master-key-check-values scenario turns one instance's check values from one into two.
 */
class MasterKeyMismatchTest {

  private static final String ID = "5e0d2c7a-41b8-4f96-9d3e-00000000d1ff";
  private static final String LABEL = "instance_id=\"" + ID + "\"";
  private static final PollSettings SETTINGS = new PollSettings(Duration.ofSeconds(10),
      Duration.ofSeconds(5), Duration.ofSeconds(30), Duration.ZERO, 2);

  @TempDir Path directory;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  private SimulatorServer simulator;
  private AdapterFileWriter writer;
  private CryptoUnitSource source;
  private ExporterMetrics metrics;
  private SnapshotStore store;
  private Poller poller;

  @BeforeEach
  void start() {
    simulator = SimulatorServer.builder(BuiltInScenarios.load("master-key-check-values"))
        .clock(clock).build().start();
    Path file = directory.resolve("units.json");
    writer = new AdapterFileWriter(simulator, file, clock);
    InstanceConfig instance = simulator.instanceConfigs().get(0);
    InstanceConfig fromFile = new InstanceConfig(instance.id(), instance.name(), instance.region(),
        false, instance.endpoint(), new FileSourceConfig(file, null));
    ExporterConfig config = new ExporterConfig(SETTINGS,
        new IamSettings(simulator.tokenUrl(), "UNUSED", null), List.of(fromFile));
    store = new SnapshotStore(config.instances());
    metrics = ExporterMetrics.createWithoutJvmMetrics(store, config.instances(), clock);
    source = CryptoUnitSources.create(config, null, ApiRequestListener.NONE, clock, Map.of());
    poller = new Poller(SETTINGS, config.instances(), source, store, metrics, clock);
  }

  @AfterEach
  void stop() {
    poller.close();
    source.close();
    writer.close();
    simulator.close();
  }

  private String pollAndScrape() throws Exception {
    writer.write();
    poller.pollAllOnce();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ExpositionFormats.init().getPrometheusTextFormatWriter().write(out,
        metrics.registry().scrape());
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void secondCheckValueMakesInstanceNotReady() throws Exception {
    String matching = pollAndScrape();
    clock.advance(Duration.ofSeconds(31));
    String mismatching = pollAndScrape();

    assertThat(matching).contains("keyprotect_instance_master_key_check_values{" + LABEL + "} 1.0");
    assertThat(matching).contains("keyprotect_instance_ready{" + LABEL + "} 1.0");
    assertThat(mismatching)
        .contains("keyprotect_instance_master_key_check_values{" + LABEL + "} 2.0");
    assertThat(mismatching).contains("keyprotect_instance_ready{" + LABEL + "} 0.0");
    assertThat(mismatching).contains("keyprotect_crypto_unit_master_key_info{check_value_hash=\""
        + MasterKeyCheckValues.hash("E51D77") + "\",crypto_unit_id=\"8b3f1e20-6c4d-4a7b-9e12"
        + "-0000000000d3\"," + LABEL + "} 1.0");
    assertThat(mismatching).contains("keyprotect_instance_serving_units{" + LABEL + "} 3.0");
    assertThat(mismatching).doesNotContain("9A3F0C").doesNotContain("E51D77");
  }

  @Test
  void adapterFileHasCheckValues() throws Exception {
    writer.write();

    String document = Files.readString(directory.resolve("units.json"));

    assertThat(document).contains("\"generatedAt\" : \"2026-12-01T10:00:00Z\"")
        .contains("\"masterKeyCheckValue\" : \"9A3F0C\"");
    assertThat(directory.resolve(".units.json.tmp")).doesNotExist();
  }

  @Test
  void cutShortFileKeepsLastUnits() throws Exception {
    pollAndScrape();
    Path file = directory.resolve("units.json");
    String complete = Files.readString(file);

    // A writer that ignores the rename contract, caught halfway through.
    Files.writeString(file, complete.substring(0, complete.length() / 2));
    poller.pollAllOnce();
    InstanceSnapshot snapshot = store.get(ID);

    assertThat(snapshot.up()).isFalse();
    assertThat(snapshot.lastError().label()).isEqualTo("bad_output");
    assertThat(snapshot.units()).hasSize(3);
    assertThat(snapshot.servingUnits(clock.instant())).isEqualTo(3);
  }
}
