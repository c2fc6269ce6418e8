package io.github.keyprotectexporter.metrics;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.Shard;
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
import java.util.Set;
import java.util.stream.Collectors;
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
 * <p>As {@link MetricChanges}, it tracks every family named {@code keyprotect_*} except those in
 * {@link #PER_POLL_FAMILIES}, which {@link #perPoll()} tracks. A family is in the first set when
 * its series change only with the crypto units, their states, readiness, errors or config. It is
 * in the per-poll set when one of its series moves on nearly every poll, probe or request of an
 * instance. A scrape cache keeps the two sets apart, so a poll that finds the same
 * units renders only the per-poll families again. The store's generation counts snapshot updates
 * that change the first set, and this class counts updates of its own metrics. A new tracked
 * metric must call {@link #changed()} on every update, or a cached scrape hides the update.
 */
public final class ExporterMetrics
    implements PollListener, ProbeListener, ApiRequestListener, MetricChanges {

  public static final String POLL_ERRORS = "keyprotect_poll_errors_total";
  public static final String POLL_SKIPPED = "keyprotect_poll_skipped_total";
  public static final String API_REQUESTS = "keyprotect_api_requests_total";
  public static final String PROBE_FAILURES = "keyprotect_kms_probe_failures_total";
  public static final String BUILD_INFO = "keyprotect_exporter_build_info";
  public static final String SHARD_INFO = "keyprotect_exporter_shard_info";

  /** Name prefix of every family that the agent itself exports. */
  public static final String PREFIX = "keyprotect_";

  /**
   * Prometheus names of the agent's families that {@link #tracks} leaves to {@link #perPoll()},
   * because they change on every poll, probe or API request: poll time and duration, probe
   * duration, and request counts. The counter is listed under its Prometheus name, without
   * {@code _total}, and under its sample name, because a registry scrape tests both against the
   * name filter.
   */
  public static final Set<String> PER_POLL_FAMILIES =
      Set.of(
          SnapshotCollector.LAST_POLL_SUCCESS,
          SnapshotCollector.LAST_POLL_DURATION,
          ProbeCollector.PROBE_DURATION,
          API_REQUESTS.substring(0, API_REQUESTS.length() - "_total".length()),
          API_REQUESTS);

  private final PrometheusRegistry registry;
  private final SnapshotStore store;
  /** Counts updates of the counters and gauges that the store does not see. */
  private final AtomicLong updates;
  /** Counts updates of the request counter, which only the per-poll generation covers. */
  private final AtomicLong requestUpdates = new AtomicLong();
  private final MetricChanges perPoll;
  private final Counter pollErrors;
  private final Counter pollSkipped;
  private final Counter probeFailures;
  private final Counter apiRequests;
  private final ConfigReloadMetrics configReload;

  private ExporterMetrics(
      PrometheusRegistry registry,
      SnapshotStore store,
      AtomicLong updates,
      Counter pollErrors,
      Counter pollSkipped,
      Counter probeFailures,
      Counter apiRequests,
      ConfigReloadMetrics configReload) {
    this.registry = registry;
    this.store = store;
    this.updates = updates;
    this.pollErrors = pollErrors;
    this.pollSkipped = pollSkipped;
    this.probeFailures = probeFailures;
    this.apiRequests = apiRequests;
    this.configReload = configReload;
    this.perPoll = new PerPollChanges(store, requestUpdates::get);
  }

  /** Builds the agent's whole registry, JVM and process metrics included. */
  public static ExporterMetrics create(
      SnapshotStore store, List<InstanceConfig> instances, Clock clock) {
    return create(store, instances, clock, Shard.ALL);
  }

  /** Builds the agent's whole registry for an agent that serves {@code shard}. */
  public static ExporterMetrics create(
      SnapshotStore store, List<InstanceConfig> instances, Clock clock, Shard shard) {
    ExporterMetrics metrics = createWithoutJvmMetrics(store, instances, clock, shard);
    JvmMetrics.builder().register(metrics.registry);
    return metrics;
  }

  /**
   * Builds the registry without JVM and process metrics, whose values change on their own, so
   * that its output depends only on the store, the clock and the listener calls.
   */
  public static ExporterMetrics createWithoutJvmMetrics(
      SnapshotStore store, List<InstanceConfig> instances, Clock clock) {
    return createWithoutJvmMetrics(store, instances, clock, Shard.ALL);
  }

  /** Builds the registry without JVM and process metrics for an agent that serves {@code shard}. */
  public static ExporterMetrics createWithoutJvmMetrics(
      SnapshotStore store, List<InstanceConfig> instances, Clock clock, Shard shard) {
    Objects.requireNonNull(store, "store");
    Objects.requireNonNull(instances, "instances");
    Objects.requireNonNull(shard, "shard");
    PrometheusRegistry registry = new PrometheusRegistry();
    registry.register(new SnapshotCollector(store, clock));
    registry.register(new ProbeCollector(store));
    registry.register(new MasterKeyCollector(store, clock));
    Counter pollErrors = registerPollErrors(registry, instances);
    Counter pollSkipped = registerPollSkipped(registry, instances);
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
    registerShardInfo(registry, shard);
    AtomicLong updates = new AtomicLong();
    ConfigReloadMetrics configReload =
        ConfigReloadMetrics.register(registry, clock.instant(), updates::incrementAndGet);
    return new ExporterMetrics(registry, store, updates, pollErrors, pollSkipped, probeFailures,
        apiRequests, configReload);
  }

  public PrometheusRegistry registry() {
    return registry;
  }

  public ConfigReloadMetrics configReload() {
    return configReload;
  }

  /**
   * Switches the counters to a reloaded list of instances: every series of a removed instance is
   * dropped, and those of an instance whose probe is now disabled lose their probe failures. Added
   * instances start at 0 for every reason, as at start-up. Call it only while no poll runs, because
   * a late failure of a removed instance would add its series again.
   */
  public void instancesChanged(List<InstanceConfig> instances) {
    Set<String> configured =
        instances.stream().map(InstanceConfig::id).collect(Collectors.toSet());
    Set<String> probed =
        instances.stream()
            .filter(instance -> instance.probe().enabled())
            .map(InstanceConfig::id)
            .collect(Collectors.toSet());
    // The instance id is the first label of every counter.
    pollErrors.removeIf(labels -> !configured.contains(labels.get(0)));
    pollSkipped.removeIf(labels -> !configured.contains(labels.get(0)));
    apiRequests.removeIf(labels -> !configured.contains(labels.get(0)));
    probeFailures.removeIf(labels -> !probed.contains(labels.get(0)));
    requestUpdates.incrementAndGet();
    initPollErrors(pollErrors, instances);
    initPollSkipped(pollSkipped, instances);
    initProbeFailures(probeFailures, instances);
    changed();
  }

  @Override
  public void pollFailed(String instanceId, PollErrorReason reason) {
    pollErrors.labelValues(instanceId, reason.label()).inc();
    changed();
  }

  @Override
  public void pollSkipped(String instanceId) {
    pollSkipped.labelValues(instanceId).inc();
    changed();
  }

  @Override
  public void probeFailed(String instanceId, ProbeFailureReason reason) {
    probeFailures.labelValues(instanceId, reason.label()).inc();
    changed();
  }

  /** Counts the request. The counter is a per-poll family, so it moves only that generation. */
  @Override
  public void requestCompleted(String instanceId, String operation, String code) {
    apiRequests.labelValues(instanceId, operation, code).inc();
    requestUpdates.incrementAndGet();
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
    return prometheusName.startsWith(PREFIX) && !PER_POLL_FAMILIES.contains(prometheusName);
  }

  /** Returns the changes of {@link #PER_POLL_FAMILIES}. */
  @Override
  public MetricChanges perPoll() {
    return perPoll;
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
    initPollErrors(counter, instances);
    return counter;
  }

  /** Starts every reason at 0, so increase() and rate() see the first failure of each reason. */
  private static void initPollErrors(Counter counter, List<InstanceConfig> instances) {
    for (InstanceConfig instance : instances) {
      for (PollErrorReason reason : PollErrorReason.values()) {
        counter.labelValues(instance.id(), reason.label());
      }
    }
  }

  private static Counter registerPollSkipped(
      PrometheusRegistry registry, List<InstanceConfig> instances) {
    Counter counter =
        Counter.builder()
            .name(POLL_SKIPPED)
            .help(
                "Number of scheduled polls of the instance that were skipped because the previous"
                    + " poll was still in flight, including one waiting for a retry.")
            .labelNames("instance_id")
            .register(registry);
    initPollSkipped(counter, instances);
    return counter;
  }

  private static void initPollSkipped(Counter counter, List<InstanceConfig> instances) {
    for (InstanceConfig instance : instances) {
      counter.labelValues(instance.id());
    }
  }

  private static Counter registerProbeFailures(
      PrometheusRegistry registry, List<InstanceConfig> instances) {
    Counter counter =
        Counter.builder()
            .name(PROBE_FAILURES)
            .help("Number of failed key-operation probes of the instance, by reason.")
            .labelNames("instance_id", "reason")
            .register(registry);
    initProbeFailures(counter, instances);
    return counter;
  }

  /** As with poll errors, starts every reason of a probed instance at 0. */
  private static void initProbeFailures(Counter counter, List<InstanceConfig> instances) {
    for (InstanceConfig instance : instances) {
      if (!instance.probe().enabled()) {
        continue;
      }
      for (ProbeFailureReason reason : ProbeFailureReason.values()) {
        counter.labelValues(instance.id(), reason.label());
      }
    }
  }

  private static void registerBuildInfo(PrometheusRegistry registry, BuildInfo buildInfo) {
    Info.builder()
        .name(BUILD_INFO)
        .help("Version and revision of the exporter, with the constant value 1.")
        .labelNames("version", "revision")
        .register(registry)
        .addLabelValues(buildInfo.version(), buildInfo.revision());
  }

  private static void registerShardInfo(PrometheusRegistry registry, Shard shard) {
    Info.builder()
        .name(SHARD_INFO)
        .help("Shard of the instances this agent polls, numbered from 0, and the number of"
            + " shards, with the constant value 1.")
        .labelNames("shard", "shards")
        .register(registry)
        .addLabelValues(String.valueOf(shard.index()), String.valueOf(shard.count()));
  }
}
