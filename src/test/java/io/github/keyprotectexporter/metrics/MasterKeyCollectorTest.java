package io.github.keyprotectexporter.metrics;

import static io.github.keyprotectexporter.metrics.SampleStore.HEALTHY;
import static io.github.keyprotectexporter.metrics.SampleStore.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.model.MasterKeyCheckValues;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class MasterKeyCollectorTest {

  private static final InstanceConfig INSTANCE =
      SampleStore.instance(HEALTHY, "payments-prod", "us-south");
  private static final String SINCE = "2026-02-01T08:00:00Z";

  @Test
  void countsDistinctCheckValues() {
    String text = scrape(
        SampleStore.unit("u1", CryptoUnitState.KMS_INITIALIZED, SINCE, "AAAA01"),
        SampleStore.unit("u2", CryptoUnitState.KMS_INITIALIZED, SINCE, "aaaa01"),
        SampleStore.unit("u3", CryptoUnitState.KMS_INITIALIZED, SINCE, "BBBB02"),
        SampleStore.unit("u4", CryptoUnitState.MAINTENANCE, SINCE));

    assertThat(text).contains(MasterKeyCollector.CHECK_VALUES
        + "{instance_id=\"" + HEALTHY + "\"} 2.0");
  }

  @Test
  void infoLabelsUnitsWithHashNotValue() {
    String text = scrape(
        SampleStore.unit("u1", CryptoUnitState.KMS_INITIALIZED, SINCE, "AAAA01"),
        SampleStore.unit("u2", CryptoUnitState.MAINTENANCE, SINCE));

    assertThat(text).contains(MasterKeyCollector.MASTER_KEY_INFO
        + "{check_value_hash=\"" + MasterKeyCheckValues.hash("AAAA01")
        + "\",crypto_unit_id=\"u1\",instance_id=\"" + HEALTHY + "\"} 1.0");
    assertThat(text).doesNotContain("crypto_unit_id=\"u2\"");
    assertThat(text).doesNotContainIgnoringCase("AAAA01");
  }

  @Test
  void absentWhenNoUnitReportsValue() {
    String text = scrape(SampleStore.unit("u1", CryptoUnitState.KMS_INITIALIZED, SINCE));

    assertThat(text).doesNotContain(MasterKeyCollector.CHECK_VALUES + "{");
    assertThat(text).doesNotContain(MasterKeyCollector.MASTER_KEY_INFO + "{");
  }

  @Test
  void absentOnceUnitsAreStale() {
    InstanceSnapshot snapshot = SampleStore.success(INSTANCE, Duration.ofMinutes(10),
        Duration.ofMillis(5),
        List.of(SampleStore.unit("u1", CryptoUnitState.KMS_INITIALIZED, SINCE, "AAAA01")));

    String text = scrape(snapshot);

    assertThat(text).doesNotContain(MasterKeyCollector.CHECK_VALUES + "{");
    assertThat(text).doesNotContain(MasterKeyCollector.MASTER_KEY_INFO + "{");
  }

  @Test
  void mismatchMakesInstanceNotReady() {
    InstanceSnapshot snapshot = success(
        SampleStore.unit("u1", CryptoUnitState.KMS_INITIALIZED, SINCE, "AAAA01"),
        SampleStore.unit("u2", CryptoUnitState.KMS_INITIALIZED, SINCE, "BBBB02"));

    assertThat(snapshot.servingUnits(NOW)).isEqualTo(2);
    assertThat(snapshot.masterKeyMismatch(NOW)).isTrue();
    assertThat(snapshot.ready(NOW)).isFalse();
  }

  private static InstanceSnapshot success(UnitSnapshot... units) {
    return SampleStore.success(INSTANCE, Duration.ofSeconds(10), Duration.ofMillis(5),
        List.of(units));
  }

  private static String scrape(UnitSnapshot... units) {
    return scrape(success(units));
  }

  private static String scrape(InstanceSnapshot snapshot) {
    SnapshotStore store = new SnapshotStore(List.of(INSTANCE));
    store.put(snapshot);
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new MasterKeyCollector(store, Clock.fixed(NOW, ZoneOffset.UTC)));
    return Exposition.text(registry);
  }
}
