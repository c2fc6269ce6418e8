package io.github.keyprotectexporter.metrics;

import static io.github.keyprotectexporter.metrics.SampleStore.HEALTHY;
import static io.github.keyprotectexporter.metrics.SampleStore.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SnapshotCollectorTest {

  private static final InstanceConfig INSTANCE =
      SampleStore.instance(HEALTHY, "payments-prod", "us-south");

  @Nested
  class UnitSeries {

    @Test
    void unitStateHasOneSeriesPerState() {
      String text = scrape(storeWith(healthySnapshot()), NOW);

      List<String> unitLines =
          lines(text, SnapshotCollector.UNIT_STATE + "{crypto_unit_id=\"u1\"");
      assertThat(unitLines).hasSize(CryptoUnitState.values().length);
      assertThat(unitLines).filteredOn(line -> line.endsWith(" 1.0")).hasSize(1);
      assertThat(unitLines)
          .filteredOn(line -> line.endsWith(" 1.0"))
          .first()
          .asString()
          .contains("state=\"kms-initialized\"");
      for (CryptoUnitState state : CryptoUnitState.values()) {
        assertThat(unitLines).anyMatch(line -> line.contains("state=\"" + state.label() + "\""));
      }
    }

    @Test
    void unitCountsIncludeZeroStates() {
      String text = scrape(storeWith(healthySnapshot()), NOW);

      List<String> counts = lines(text, SnapshotCollector.UNITS + "{");
      assertThat(counts).hasSize(CryptoUnitState.values().length);
      assertThat(counts)
          .contains(
              SnapshotCollector.UNITS
                  + "{instance_id=\"" + HEALTHY + "\",state=\"kms-initialized\"} 1.0",
              SnapshotCollector.UNITS
                  + "{instance_id=\"" + HEALTHY + "\",state=\"maintenance\"} 1.0",
              SnapshotCollector.UNITS + "{instance_id=\"" + HEALTHY + "\",state=\"unknown\"} 0.0");
    }

    @Test
    void unitSeriesPresentJustBeforeExpiry() {
      InstanceSnapshot snapshot = healthySnapshot();

      String text = scrape(storeWith(snapshot), snapshot.unitsExpireAt().minusMillis(1));

      assertThat(lines(text, SnapshotCollector.UNIT_STATE + "{")).isNotEmpty();
      assertThat(lines(text, SnapshotCollector.UNITS + "{")).isNotEmpty();
      assertThat(lines(text, SnapshotCollector.UNIT_STATE_SINCE + "{")).isNotEmpty();
      assertThat(lines(text, SnapshotCollector.SERVING_UNITS + "{")).isNotEmpty();
    }

    @Test
    void unitSeriesVanishAtExpiry() {
      InstanceSnapshot snapshot = healthySnapshot();

      String text = scrape(storeWith(snapshot), snapshot.unitsExpireAt());

      assertThat(lines(text, SnapshotCollector.UNIT_STATE + "{")).isEmpty();
      assertThat(lines(text, SnapshotCollector.UNITS + "{")).isEmpty();
      assertThat(lines(text, SnapshotCollector.UNIT_STATE_SINCE + "{")).isEmpty();
      assertThat(lines(text, SnapshotCollector.SERVING_UNITS + "{")).isEmpty();
      assertThat(text).contains(SnapshotCollector.INSTANCE_READY + "{instance_id=\"" + HEALTHY
          + "\"} 0.0");
      assertThat(text).contains(SnapshotCollector.UP + "{instance_id=\"" + HEALTHY + "\"} 1.0");
      assertThat(lines(text, SnapshotCollector.LAST_POLL_SUCCESS + "{")).hasSize(1);
    }

    @Test
    void repeatedUnitIdExportedOnce() {
      List<UnitSnapshot> units =
          List.of(
              SampleStore.unit("u1", CryptoUnitState.KMS_INITIALIZED, "2026-01-01T00:00:00Z"),
              SampleStore.unit("u1", CryptoUnitState.MAINTENANCE, "2026-01-02T00:00:00Z"));
      InstanceSnapshot snapshot =
          SampleStore.success(INSTANCE, Duration.ofSeconds(1), Duration.ofMillis(5), units);

      String text = scrape(storeWith(snapshot), NOW);

      assertThat(lines(text, SnapshotCollector.UNIT_STATE + "{crypto_unit_id=\"u1\""))
          .hasSize(CryptoUnitState.values().length);
      assertThat(text).contains(
          SnapshotCollector.UNITS + "{instance_id=\"" + HEALTHY
              + "\",state=\"kms-initialized\"} 1.0");
      assertThat(lines(text, SnapshotCollector.UNIT_STATE_SINCE + "{")).hasSize(1);
    }
  }

  @Nested
  class InstanceSeries {

    @Test
    void neverPolledHasInfoUpAndReadyOnly() {
      String text = scrape(new SnapshotStore(List.of(INSTANCE)), NOW);

      assertThat(sampleLines(text))
          .containsExactly(
              SnapshotCollector.INSTANCE_INFO + "{instance_id=\"" + HEALTHY
                  + "\",name=\"payments-prod\",region=\"us-south\"} 1.0",
              SnapshotCollector.INSTANCE_READY + "{instance_id=\"" + HEALTHY + "\"} 0.0",
              SnapshotCollector.UP + "{instance_id=\"" + HEALTHY + "\"} 0.0");
    }

    @Test
    void failureBeforeFirstSuccessHasDurationOnly() {
      InstanceSnapshot failed =
          SampleStore.failure(
              InstanceSnapshot.notPolled(INSTANCE),
              Duration.ofSeconds(2),
              PollErrorReason.AUTH,
              "API key rejected");

      String text = scrape(storeWith(failed), NOW);

      assertThat(text)
          .contains(SnapshotCollector.LAST_POLL_DURATION + "{instance_id=\"" + HEALTHY
              + "\"} 2.0");
      assertThat(lines(text, SnapshotCollector.LAST_POLL_SUCCESS)).isEmpty();
      assertThat(lines(text, SnapshotCollector.UNIT_STATE)).isEmpty();
      assertThat(text).contains(SnapshotCollector.UP + "{instance_id=\"" + HEALTHY + "\"} 0.0");
    }

    @Test
    void readyIsZeroWithoutServingUnit() {
      List<UnitSnapshot> units =
          List.of(
              SampleStore.unit("u1", CryptoUnitState.MAINTENANCE, "2026-01-01T00:00:00Z"),
              new UnitSnapshot(
                  "u2", CryptoUnitState.KMS_INITIALIZED, NOW.minusSeconds(30), false));
      InstanceSnapshot snapshot =
          SampleStore.success(INSTANCE, Duration.ofSeconds(1), Duration.ofMillis(5), units);

      String text = scrape(storeWith(snapshot), NOW);

      assertThat(text)
          .contains(SnapshotCollector.INSTANCE_READY + "{instance_id=\"" + HEALTHY + "\"} 0.0")
          .contains(SnapshotCollector.SERVING_UNITS + "{instance_id=\"" + HEALTHY + "\"} 0.0");
    }
  }

  @Test
  void everyFamilyHasSentenceHelp() {
    MetricSnapshots snapshots = new SnapshotCollector(SampleStore.create(), SampleStore.CLOCK)
        .collect();

    assertThat(snapshots.size()).isEqualTo(9);
    for (MetricSnapshot snapshot : snapshots) {
      String help = snapshot.getMetadata().getHelp();
      assertThat(help).as(snapshot.getMetadata().getName()).matches("[A-Z].*\\.");
    }
  }

  @Test
  void samplesHaveNoTimestamps() {
    MetricSnapshots snapshots = new SnapshotCollector(SampleStore.create(), SampleStore.CLOCK)
        .collect();

    for (MetricSnapshot snapshot : snapshots) {
      for (DataPointSnapshot point : snapshot.getDataPoints()) {
        assertThat(point.hasScrapeTimestamp()).as(snapshot.getMetadata().getName()).isFalse();
      }
    }
  }

  @Test
  void declaredNamesMatchCollected() {
    SnapshotCollector collector = new SnapshotCollector(SampleStore.create(), SampleStore.CLOCK);

    List<String> collected =
        collector.collect().stream().map(s -> s.getMetadata().getPrometheusName()).toList();

    assertThat(collector.getPrometheusNames()).containsExactlyInAnyOrderElementsOf(collected);
  }

  @Test
  void nameFilterBuildsOnlyNamedFamilies() {
    SnapshotCollector collector = new SnapshotCollector(SampleStore.create(), SampleStore.CLOCK);

    MetricSnapshots families =
        collector.collect(name -> name.equals(SnapshotCollector.LAST_POLL_DURATION)
            || name.equals(SnapshotCollector.UP));

    assertThat(families.stream().map(family -> family.getMetadata().getPrometheusName()))
        .containsExactly(SnapshotCollector.LAST_POLL_DURATION, SnapshotCollector.UP);
    assertThat(families.get(1).getDataPoints()).hasSize(SampleStore.instances().size());
  }

  @Test
  void probeNameFilterBuildsOnlyNamedFamilies() {
    ProbeCollector collector = new ProbeCollector(SampleStore.create());

    MetricSnapshots families =
        collector.collect(name -> name.equals(ProbeCollector.PROBE_DURATION));

    assertThat(families.stream().map(family -> family.getMetadata().getPrometheusName()))
        .containsExactly(ProbeCollector.PROBE_DURATION);
    assertThat(families.get(0).getDataPoints()).hasSize(2);
  }

  private static InstanceSnapshot healthySnapshot() {
    List<UnitSnapshot> units =
        List.of(
            SampleStore.unit("u1", CryptoUnitState.KMS_INITIALIZED, "2026-01-01T00:00:00Z"),
            SampleStore.unit("u2", CryptoUnitState.MAINTENANCE, "2026-03-01T11:00:00Z"));
    return SampleStore.success(INSTANCE, Duration.ofSeconds(10), Duration.ofMillis(50), units);
  }

  private static SnapshotStore storeWith(InstanceSnapshot snapshot) {
    SnapshotStore store = new SnapshotStore(List.of(snapshot.instance()));
    store.put(snapshot);
    return store;
  }

  private static String scrape(SnapshotStore store, Instant now) {
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new SnapshotCollector(store, Clock.fixed(now, ZoneOffset.UTC)));
    return Exposition.text(registry);
  }

  private static List<String> lines(String text, String prefix) {
    return text.lines().filter(line -> line.startsWith(prefix)).toList();
  }

  private static List<String> sampleLines(String text) {
    return text.lines().filter(line -> !line.startsWith("#")).toList();
  }
}
