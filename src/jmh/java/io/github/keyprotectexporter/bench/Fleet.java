package io.github.keyprotectexporter.bench;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.PollErrorReason;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A polled fleet of instances with three crypto units each, as the agent's metrics see it after
 * a few polls, at a fixed time so that no unit expires while a benchmark runs.
 */
final class Fleet {

  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
  static final int UNITS_PER_INSTANCE = 3;

  private static final String[] REGIONS = {"us-south", "us-east", "eu-de", "eu-es", "jp-tok"};

  final SnapshotStore store;
  final ExporterMetrics metrics;

  private Fleet(SnapshotStore store, ExporterMetrics metrics) {
    this.store = store;
    this.metrics = metrics;
  }

  /**
   * Builds a fleet of {@code size} instances whose endpoints point at 127.0.0.1 and are never
   * called.
   *
   * @param jvmMetrics whether the registry also contains JVM and process metrics
   */
  static Fleet of(int size, boolean jvmMetrics) {
    List<InstanceConfig> instances = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      String id = String.format(Locale.ROOT, "7f3e9b10-5c2d-4a8e-b1f0-%012d", i);
      URI endpoint = URI.create("http://127.0.0.1:9/" + id);
      instances.add(new InstanceConfig(id, "fleet-" + i, REGIONS[i % REGIONS.length], false,
          endpoint));
    }
    SnapshotStore store = new SnapshotStore(instances);
    ExporterMetrics metrics =
        jvmMetrics
            ? ExporterMetrics.create(store, instances, CLOCK)
            : ExporterMetrics.createWithoutJvmMetrics(store, instances, CLOCK);
    for (int i = 0; i < size; i++) {
      InstanceConfig instance = instances.get(i);
      store.put(polled(instance, i));
      metrics.requestCompleted(instance.id(), ApiRequestListener.LIST_CRYPTO_UNITS, "200");
      metrics.requestCompleted(instance.id(), ApiRequestListener.IAM_TOKEN, "200");
      if (i % 10 == 0) {
        metrics.pollFailed(instance.id(), PollErrorReason.TIMEOUT);
      }
    }
    return new Fleet(store, metrics);
  }

  /** Returns a successful poll of {@code instance}, with one unit in maintenance in every 7th. */
  static InstanceSnapshot polled(InstanceConfig instance, int index) {
    List<UnitSnapshot> units = new ArrayList<>(UNITS_PER_INSTANCE);
    for (int u = 0; u < UNITS_PER_INSTANCE; u++) {
      CryptoUnitState state =
          index % 7 == 0 && u == 0 ? CryptoUnitState.MAINTENANCE : CryptoUnitState.KMS_INITIALIZED;
      String unitId = String.format(Locale.ROOT, "4d1c2a9e-0b7f-4e61-%04d-%012d", u, index);
      units.add(new UnitSnapshot(unitId, state, NOW.minusSeconds(3600 + index), state.isServing()));
    }
    Instant polledAt = NOW.minusSeconds(index % 30);
    return new InstanceSnapshot(instance, units, polledAt, polledAt.plus(Duration.ofDays(365)),
        true, true, Duration.ofMillis(120 + index % 50), null, null);
  }
}
