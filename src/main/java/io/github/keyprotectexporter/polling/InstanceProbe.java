package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.sources.KeyProbe;
import io.github.keyprotectexporter.sources.ProbeException;
import io.github.keyprotectexporter.sources.ProbeFailureReason;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the key operations of one instance and turns each result into a new {@link
 * ProbeSnapshot}. A probe that starts while the previous one is still queued or running is
 * skipped, so one instance is never probed twice at once.
 *
 * <p>A probe makes one request and no retries, because its failures are the signal it exports and
 * the next probe comes an interval later. After a 429 with {@code Retry-After}, probes that start
 * before that time fail at once as {@code rate_limited} without a request.
 */
final class InstanceProbe {

  private static final Logger logger = LoggerFactory.getLogger(InstanceProbe.class);

  private final InstanceConfig instance;
  private final KeyProbe probe;
  private final SnapshotStore store;
  private final ProbeListener listener;
  private final Clock clock;
  private final Attempts attempts;
  private final RepeatedFailureLog failureLog;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  /** No request may go to the key API before this time, set from {@code Retry-After}. */
  private volatile Instant blockedUntil = Instant.MIN;

  InstanceProbe(
      InstanceConfig instance,
      KeyProbe probe,
      SnapshotStore store,
      ProbeListener listener,
      Clock clock,
      Attempts attempts) {
    this.instance = instance;
    this.probe = probe;
    this.store = store;
    this.listener = listener;
    this.clock = clock;
    this.attempts = attempts;
    this.failureLog = new RepeatedFailureLog(instance.id(), "Key probe");
  }

  InstanceConfig instance() {
    return instance;
  }

  /**
   * Starts a probe of the instance on a worker and stores its result.
   *
   * @return the future snapshot, completed with null when a probe of this instance was already in
   *     flight or the poller shut down first
   */
  CompletableFuture<ProbeSnapshot> start() {
    if (!inFlight.compareAndSet(false, true)) {
      logger.warn("Key probe skipped because the previous one is still running instance_id={}",
          instance.id());
      return CompletableFuture.completedFuture(null);
    }
    CompletableFuture<ProbeSnapshot> result = new CompletableFuture<>();
    Instant blocked = blockedUntil;
    if (blocked.isAfter(clock.instant())) {
      String message = "not probed, because the key API asked for no request before " + blocked
          + " (Retry-After)";
      finish(result, failed(ProbeFailureReason.RATE_LIMITED, message, System.nanoTime()));
      return result;
    }
    attempts.runNow(() -> finish(result, probeOnce()), () -> {
      inFlight.set(false);
      result.complete(null);
    });
    return result;
  }

  private void finish(CompletableFuture<ProbeSnapshot> result, ProbeSnapshot snapshot) {
    try {
      store.putProbe(snapshot);
    } finally {
      inFlight.set(false);
      result.complete(snapshot);
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
      Instant now = clock.instant();
      e.retryAfter().ifPresent(wait -> blockedUntil = now.plus(wait));
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
