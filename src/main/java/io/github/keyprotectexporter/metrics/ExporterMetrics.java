package io.github.keyprotectexporter.metrics;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.polling.PollListener;
import io.github.keyprotectexporter.polling.ProbeListener;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.sources.ProbeFailureReason;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The agent's metric registry: snapshot and probe gauges, poll, probe and request counters, build
 * info and, by default, JVM and process metrics. It receives poll failures, probe failures and API
 * requests as a listener.
 *
 * <pre>{@code
 * ExporterMetrics metrics = ExporterMetrics.create(store, config.instances(), Clock.systemUTC());
 * // pass metrics as the PollListener, ProbeListener and ApiRequestListener,
 * // and metrics.registry() to the server
 * }</pre>
 *
 * <p>Each instance owns its own {@link PrometheusRegistry}, never the static default one.
 *
 * <p>As {@link MetricChanges}, it tracks every family named {@code keyprotect_*}: the store's
 * generation counts snapshot updates and this class counts its own counter updates. A new metric
 * of the agent must bump {@link #changed()} on every update, or a cached scrape hides the update.
 */
public final class ExporterMetrics
    implements PollListener, ProbeListener, ApiRequestListener, MetricChanges {

  public static final String POLL_ERRORS = "keyprotect_poll_errors_total";
  public static final String API_REQUESTS = "keyprotect_api_requests_total";
  public static final String PROBE_FAILURES = "keyprotect_kms_probe_failures_total";
  public static final String BUILD_INFO = "keyprotect_exporter_build_info";

  /** Name prefix of every family that the agent itself exports and {@link #tracks}. */
  public static final String PREFIX = "keyprotect_";

  private final PrometheusRegistry registry;
  private final SnapshotStore store;
  private final AtomicLong updates = new AtomicLong();
  private final Counter pollErrors;
  private final Counter probeFailures;
  private final Counter apiRequests;

  private ExporterMetrics(
      PrometheusRegistry registry,
      SnapshotStore store,
      Counter pollErrors,
      Counter probeFailures,
      Counter apiRequests) {
    this.registry = registry;
    this.store = store;
    this.pollErrors = pollErrors;
    this.probeFailures = probeFailures;
    this.apiRequests = apiRequests;
  }

  /** Builds the agent's whole registry, JVM and process metrics included. */
  public static ExporterMetrics create(
      SnapshotStore store, List<InstanceConfig> instances, Clock clock) {
    ExporterMetrics metrics = createWithoutJvmMetrics(store, instances, clock);
    JvmMetrics.builder().register(metrics.registry);
    return metrics;
  }

  /**
   * Builds the registry without JVM and process metrics, whose values change on their own, so
   * that its output depends only on the store, the clock and the listener calls.
   */
  public static ExporterMetrics createWithoutJvmMetrics(
      SnapshotStore store, List<InstanceConfig> instances, Clock clock) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(instances, "instances");
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new SnapshotCollector(store, clock));
    registry.register(new ProbeCollector(store));
    registry.register(new MasterKeyCollector(store, clock));
    Counter pollErrors = registerPollErrors(registry, instances);
    Counter probeFailures = registerProbeFailures(registry, instances);
    Counter apiRequests =
        Counter.builder()
            .name(API_REQUESTS)
            .help(
                "Number of HTTP requests made for the instance, by operation and status code."
                    + " The code is none when no response arrived.")
            .labelNames("instance_id", "operation", "code")
            .register(registry);
    registerBuildInfo(registry, BuildInfo.ofJarContaining(ExporterMetrics.class));
    return new ExporterMetrics(registry, store, pollErrors, probeFailures, apiRequests);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  @Override
  public void pollFailed(String instanceId, PollErrorReason reason) {
    pollErrors.labelValues(instanceId, reason.label()).inc();
    changed();
  }

  @Override
  public void probeFailed(String instanceId, ProbeFailureReason reason) {
    probeFailures.labelValues(instanceId, reason.label()).inc();
    changed();
  }

  @Override
  public void requestCompleted(String instanceId, String operation, String code) {
    apiRequests.labelValues(instanceId, operation, code).inc();
    changed();
  }

  /** Sums the store's generation and the count of counter updates, both of which only grow. */
  @Override
  public long generation() {
    return store.generation() + updates.get();
  }

  /** Returns the next time that units of an instance become stale and vanish from the output. */
  @Override
  public Instant nextTimedChange(Instant now) {
    return store.nextUnitsExpiry(now);
  }

  @Override
  public boolean tracks(String prometheusName) {
    return prometheusName.startsWith(PREFIX);
  }

  /**
   * Records that a tracked metric changed. Call it after the update, so a scrape that reads the
   * generation first and then the old value renders again on the next scrape.
   */
  void changed() {
    updates.incrementAndGet();
  }

  private static Counter registerPollErrors(
      PrometheusRegistry registry, List<InstanceConfig> instances) {
    Counter counter =
        Counter.builder()
            .name(POLL_ERRORS)
            .help("Number of failed polls of the instance, by reason.")
            .labelNames("instance_id", "reason")
            .register(registry);
    // Every reason starts at 0, so increase() and rate() see the first failure of each reason.
    for (InstanceConfig instance : instances) {
      for (PollErrorReason reason : PollErrorReason.values()) {
        counter.labelValues(instance.id(), reason.label());
      }
    }
    return counter;
  }

  private static Counter registerProbeFailures(
      PrometheusRegistry registry, List<InstanceConfig> instances) {
    Counter counter =
        Counter.builder()
            .name(PROBE_FAILURES)
            .help("Number of failed key-operation probes of the instance, by reason.")
            .labelNames("instance_id", "reason")
            .register(registry);
    // As with poll errors, every reason of a probed instance starts at 0.
    for (InstanceConfig instance : instances) {
      if (!instance.probe().enabled()) {
        continue;
      }
      for (ProbeFailureReason reason : ProbeFailureReason.values()) {
        counter.labelValues(instance.id(), reason.label());
      }
    }
    return counter;
  }

  private static void registerBuildInfo(PrometheusRegistry registry, BuildInfo buildInfo) {
    Info.builder()
        .name(BUILD_INFO)
        .help("Version and revision of the exporter, with the constant value 1.")
        .labelNames("version", "revision")
        .register(registry)
        .addLabelValues(buildInfo.version(), buildInfo.revision());
  }
}
