package io.github.keyprotectexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.Shard;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.PollErrorReason;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Renders the exposition of one unsharded agent and of every shard of the same fleet, with the
 * same snapshots and clock, and compares their instance series line by line.
 */
class ShardedExpositionTest {

  private static final int FLEET_SIZE = 300;
  private static final CryptoUnitState[] STATES = CryptoUnitState.values();

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 5, 7})
  void shardUnionEqualsUnshardedOutput(int count) {
    List<InstanceConfig> fleet = fleet();
    Set<String> unsharded = instanceSeries(render(fleet, Shard.ALL));

    Set<String> union = new HashSet<>();
    for (int index = 0; index < count; index++) {
      Shard shard = new Shard(index, count);
      String exposition = render(shard.select(fleet), shard);
      assertThat(exposition).contains(
          "keyprotect_exporter_shard_info{shard=\"" + index + "\",shards=\"" + count + "\"} 1");

      for (String line : instanceSeries(exposition)) {
        assertThat(union.add(line)).as("series in two shards: %s", line).isTrue();
      }
    }

    assertThat(unsharded).hasSizeGreaterThan(FLEET_SIZE * 10);
    assertThat(union).isEqualTo(unsharded);
  }

  @ParameterizedTest
  @ValueSource(ints = {2, 3, 5, 7})
  void shardsExportDisjointInstances(int count) {
    List<InstanceConfig> fleet = fleet();
    Set<String> seen = new HashSet<>();

    for (int index = 0; index < count; index++) {
      Shard shard = new Shard(index, count);
      Set<String> ids = new HashSet<>();
      for (String line : instanceSeries(render(shard.select(fleet), shard))) {
        ids.add(line.replaceAll(".*instance_id=\"([^\"]+)\".*", "$1"));
      }

      assertThat(ids).allMatch(shard::owns);
      assertThat(seen).doesNotContainAnyElementsOf(ids);
      seen.addAll(ids);
    }

    assertThat(seen).hasSize(FLEET_SIZE);
  }

  /** Returns the fleet from a fixed seed, every third instance probed. */
  private static List<InstanceConfig> fleet() {
    Random random = new Random(7L);
    List<InstanceConfig> instances = new ArrayList<>();
    for (int i = 0; i < FLEET_SIZE; i++) {
      String id = new UUID(random.nextLong(), random.nextLong()).toString();
      InstanceConfig instance = SampleStore.instance(id, "fleet-" + i, "us-south");
      instances.add(i % 3 == 0 ? SampleStore.probed(instance) : instance);
    }
    return instances;
  }

  /**
   * Renders what an agent polling {@code instances} exports, with each instance in a state that
   * depends only on its position in the whole fleet, as polled from the same API.
   */
  private static String render(List<InstanceConfig> instances, Shard shard) {
    SnapshotStore store = new SnapshotStore(instances);
    ExporterMetrics metrics = ExporterMetrics.createWithoutJvmMetrics(
        store, instances, SampleStore.CLOCK, shard);
    for (InstanceConfig instance : instances) {
      int position = Integer.parseInt(instance.name().substring("fleet-".length()));
      record(store, metrics, instance, position);
    }
    return Exposition.text(metrics.registry());
  }

  private static void record(
      SnapshotStore store, ExporterMetrics metrics, InstanceConfig instance, int position) {
    if (position % 11 == 0) {
      return; // not polled yet
    }
    String id = instance.id();
    List<UnitSnapshot> units = new ArrayList<>();
    for (int unit = 0; unit < 3; unit++) {
      CryptoUnitState state = STATES[(position + unit) % STATES.length];
      units.add(SampleStore.unit(id.substring(0, 24) + "00000000000" + unit, state,
          "2026-02-01T08:00:00Z", unit == 2 && position % 5 == 0 ? "E51D77" : "9A3F0C"));
    }
    InstanceSnapshot success = SampleStore.success(
        instance, Duration.ofSeconds(position % 30), Duration.ofMillis(position), units);
    metrics.requestCompleted(id, ApiRequestListener.LIST_CRYPTO_UNITS, "200");
    if (position % 7 == 0) {
      store.put(SampleStore.failure(success, Duration.ofSeconds(10), PollErrorReason.TIMEOUT,
          "no response"));
      metrics.pollFailed(id, PollErrorReason.TIMEOUT);
    } else {
      store.put(success);
    }
    if (instance.probe().enabled()) {
      store.putProbe(ProbeSnapshot.succeeded(id, SampleStore.NOW.minusSeconds(position % 60),
          Duration.ofMillis(80)));
    }
  }

  private static Set<String> instanceSeries(String exposition) {
    Set<String> series = new HashSet<>();
    for (String line : exposition.split("\n")) {
      if (!line.startsWith("#") && line.contains("instance_id=\"")) {
        series.add(line);
      }
    }
    return series;
  }
}
