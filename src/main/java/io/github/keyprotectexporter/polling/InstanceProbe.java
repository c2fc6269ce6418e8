package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.sources.KeyProbe;
import io.github.keyprotectexporter.sources.ProbeException;
import io.github.keyprotectexporter.sources.ProbeFailureReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the key operations of one instance and turns each result into a new {@link
 * ProbeSnapshot}. A probe that starts while the previous one is still running is skipped, so one
 * instance is never probed twice at once.
 */
final class InstanceProbe {

  private static final Logger logger = LoggerFactory.getLogger(InstanceProbe.class);

  private final InstanceConfig instance;
  private final KeyProbe probe;
  private final SnapshotStore store;
  private final ProbeListener listener;
  private final Clock clock;
  private final RepeatedFailureLog failureLog;
  private final AtomicBoolean inFlight = new AtomicBoolean();

  InstanceProbe(
      InstanceConfig instance,
      KeyProbe probe,
      SnapshotStore store,
      ProbeListener listener,
      Clock clock) {
    this.instance = instance;
    this.probe = probe;
    this.store = store;
    this.listener = listener;
    this.clock = clock;
    this.failureLog = new RepeatedFailureLog(instance.id(), "Key probe");
  }

  InstanceConfig instance() {
    return instance;
  }

  /**
   * Probes the instance once and stores the result.
   *
   * @return the new snapshot, or null when a probe of this instance was already running
   */
  ProbeSnapshot run() {
    if (!inFlight.compareAndSet(false, true)) {
      logger.warn("Key probe skipped because the previous one is still running instance_id={}",
          instance.id());
      return null;
    }
    try {
      ProbeSnapshot snapshot = probeOnce();
      store.putProbe(snapshot);
      return snapshot;
    } finally {
      inFlight.set(false);
    }
  }

  private ProbeSnapshot probeOnce() {
    long startNanos = System.nanoTime();
    try {
      probe.probe(instance);
      Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
      failureLog.succeeded();
      logger.debug("Key probe succeeded instance_id={} duration_ms={}", instance.id(),
          duration.toMillis());
      return ProbeSnapshot.succeeded(instance.id(), clock.instant(), duration);
    } catch (ProbeException e) {
      return failed(e.reason(), e.getMessage(), startNanos);
    } catch (RuntimeException e) {
      // A bug in the probe must not stop the poller, and is no evidence about the key API.
      logger.error("Key probe failed with an unexpected error instance_id={}", instance.id(), e);
      String message = "unexpected " + e.getClass().getSimpleName() + " while probing";
      return failed(ProbeFailureReason.OTHER, message, startNanos);
    }
  }

  private ProbeSnapshot failed(ProbeFailureReason reason, String message, long startNanos) {
    Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
    Instant now = clock.instant();
    failureLog.failed(reason.label(), message, now);
    listener.probeFailed(instance.id(), reason);
    return new ProbeSnapshot(instance.id(), now, duration, reason, message);
  }
}
