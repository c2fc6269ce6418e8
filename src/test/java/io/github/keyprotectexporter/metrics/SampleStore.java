package io.github.keyprotectexporter.metrics;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.ProbeSettings;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.model.MasterKeyCheckValues;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.sources.ProbeFailureReason;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/**
 * A fixed store and clock shared by the metrics and HTTP tests: one instance in each situation
 * that the exporter distinguishes.
 */
public final class SampleStore {

  public static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /**
   * Polled successfully, two serving units and one in maintenance; the serving ones report the
   * same master-key check value.
   */
  public static final String HEALTHY = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  /**
   * Polled successfully, one unit in a state the agent does not know. The two units report
   * different master-key check values, so the instance is not ready.
   */
  public static final String UNKNOWN_STATE = "7f3e9b10-5c2d-4a8e-b1f0-0000000000b2";
  /** The last poll failed, but the units of the previous success are still current. */
  public static final String FAILED = "7f3e9b10-5c2d-4a8e-b1f0-0000000000c3";
  /** Failing for so long that its last units are stale. */
  public static final String STALE = "7f3e9b10-5c2d-4a8e-b1f0-0000000000d4";
  /** Not polled yet. */
  public static final String NEVER_POLLED = "7f3e9b10-5c2d-4a8e-b1f0-0000000000e5";
  /**
   * Probed: both units serve, but the key API returns 503 with no healthy upstream, the symptom
   * of a master-key mismatch.
   */
  public static final String KEY_API_FAILING = "7f3e9b10-5c2d-4a8e-b1f0-0000000000f6";

  private SampleStore() {}

  public static List<InstanceConfig> instances() {
    return List.of(
        probed(instance(HEALTHY, "payments-prod", "us-south")),
        instance(UNKNOWN_STATE, "ledger", "eu-de"),
        instance(FAILED, "archive", "us-east"),
        instance(STALE, "backup", "eu-es"),
        instance(NEVER_POLLED, "", "us-south"),
        probed(instance(KEY_API_FAILING, "orders", "eu-de")));
  }

  /** Returns a store holding one snapshot of each kind, as seen at {@link #NOW}. */
  public static SnapshotStore create() {
    List<InstanceConfig> instances = instances();
    SnapshotStore store = new SnapshotStore(instances);
    store.put(healthy(instances.get(0)));
    store.put(unknownState(instances.get(1)));
    store.put(failed(instances.get(2)));
    store.put(stale(instances.get(3)));
    store.put(keyApiFailing(instances.get(5)));
    store.putProbe(ProbeSnapshot.succeeded(HEALTHY, NOW.minusSeconds(20), Duration.ofMillis(80)));
    store.putProbe(
        new ProbeSnapshot(
            KEY_API_FAILING,
            NOW.minusSeconds(15),
            Duration.ofMillis(95),
            ProbeFailureReason.NO_HEALTHY_UPSTREAM,
            "HEAD https://eu-de.kms.cloud.ibm.com/api/v2/keys returned HTTP 503: no healthy"
                + " upstream"));
    return store;
  }

  /** Reports a few poll failures and API requests, as a poller would. */
  public static void recordActivity(ExporterMetrics metrics) {
    metrics.pollFailed(FAILED, PollErrorReason.TIMEOUT);
    metrics.pollFailed(FAILED, PollErrorReason.TIMEOUT);
    metrics.pollFailed(STALE, PollErrorReason.NETWORK);
    metrics.requestCompleted(HEALTHY, ApiRequestListener.IAM_TOKEN, "200");
    metrics.requestCompleted(HEALTHY, ApiRequestListener.LIST_CRYPTO_UNITS, "200");
    metrics.requestCompleted(FAILED, ApiRequestListener.LIST_CRYPTO_UNITS, "none");
    metrics.requestCompleted(STALE, ApiRequestListener.LIST_CRYPTO_UNITS, "none");
    metrics.requestCompleted(HEALTHY, ApiRequestListener.KEY_PROBE, "200");
    metrics.requestCompleted(KEY_API_FAILING, ApiRequestListener.KEY_PROBE, "503");
    metrics.requestCompleted(KEY_API_FAILING, ApiRequestListener.KEY_PROBE, "503");
    metrics.probeFailed(KEY_API_FAILING, ProbeFailureReason.NO_HEALTHY_UPSTREAM);
  }

  public static InstanceConfig instance(String id, String name, String region) {
    return new InstanceConfig(id, name, region, false, URI.create("http://127.0.0.1:1"));
  }

  /** Returns {@code instance} with its key-operation probe enabled every minute. */
  public static InstanceConfig probed(InstanceConfig instance) {
    return instance.withProbe(new ProbeSettings(true, Duration.ofMinutes(1), null));
  }

  public static UnitSnapshot unit(String id, CryptoUnitState state, String since) {
    Instant stateSince = Instant.parse(since);
    return new UnitSnapshot(id, state, stateSince, state.isServing());
  }

  /** Returns a unit that reports a master-key check value, stored as its hash. */
  public static UnitSnapshot unit(
      String id, CryptoUnitState state, String since, String checkValue) {
    Instant stateSince = Instant.parse(since);
    return new UnitSnapshot(id, state, stateSince, state.isServing(),
        MasterKeyCheckValues.hash(checkValue), null);
  }

  public static InstanceSnapshot success(
      InstanceConfig instance, Duration age, Duration duration, List<UnitSnapshot> units) {
    Instant polledAt = NOW.minus(age);
    Instant expireAt = polledAt.plusSeconds(90);
    return new InstanceSnapshot(
        instance, units, polledAt, expireAt, true, true, duration, null, null);
  }

  private static InstanceSnapshot healthy(InstanceConfig instance) {
    return success(
        instance,
        Duration.ofSeconds(10),
        Duration.ofMillis(250),
        List.of(
            unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000a1", CryptoUnitState.KMS_INITIALIZED,
                "2026-02-01T08:00:00Z", "9A3F0C"),
            unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000a2", CryptoUnitState.KMS_INITIALIZED,
                "2026-02-01T08:00:00Z", "9a3f0c"),
            unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000a3", CryptoUnitState.MAINTENANCE,
                "2026-03-01T11:30:00.5Z")));
  }

  private static InstanceSnapshot unknownState(InstanceConfig instance) {
    return success(
        instance,
        Duration.ofSeconds(5),
        Duration.ofMillis(120),
        List.of(
            unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000b1", CryptoUnitState.KMS_INITIALIZED,
                "2026-01-15T00:00:00Z", "9A3F0C"),
            unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000b2", CryptoUnitState.UNKNOWN,
                "2026-03-01T11:59:55Z", "E51D77")));
  }

  private static InstanceSnapshot keyApiFailing(InstanceConfig instance) {
    return success(
        instance,
        Duration.ofSeconds(8),
        Duration.ofMillis(140),
        List.of(
            unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000f1", CryptoUnitState.KMS_INITIALIZED,
                "2026-02-10T07:00:00Z"),
            unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000f2", CryptoUnitState.KMS_INITIALIZED,
                "2026-03-01T11:00:00Z")));
  }

  private static InstanceSnapshot failed(InstanceConfig instance) {
    InstanceSnapshot lastSuccess =
        success(
            instance,
            Duration.ofSeconds(40),
            Duration.ofMillis(300),
            List.of(
                unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000c1", CryptoUnitState.KMS_INITIALIZED,
                    "2025-12-24T18:00:00Z"),
                unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000c2", CryptoUnitState.INITIALIZED,
                    "2026-02-28T09:15:00Z")));
    return failure(lastSuccess, Duration.ofSeconds(10), PollErrorReason.TIMEOUT,
        "no response from the crypto-units API within 10s");
  }

  private static InstanceSnapshot stale(InstanceConfig instance) {
    InstanceSnapshot lastSuccess =
        success(
            instance,
            Duration.ofSeconds(200),
            Duration.ofMillis(180),
            List.of(
                unit("4d1c2a9e-0b7f-4e61-9c3a-0000000000d1", CryptoUnitState.KMS_INITIALIZED,
                    "2026-02-20T10:00:00Z")));
    return failure(lastSuccess, Duration.ofMillis(3), PollErrorReason.NETWORK,
        "connection refused");
  }

  /** Returns {@code previous} after a failed poll: same units, down, with the error. */
  public static InstanceSnapshot failure(
      InstanceSnapshot previous, Duration duration, PollErrorReason reason, String message) {
    return new InstanceSnapshot(
        previous.instance(),
        previous.units(),
        previous.unitsPolledAt(),
        previous.unitsExpireAt(),
        true,
        false,
        duration,
        reason,
        message);
  }
}
