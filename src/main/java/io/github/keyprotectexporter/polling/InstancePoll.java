package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import io.github.keyprotectexporter.sources.PollErrorReason;
import io.github.keyprotectexporter.sources.PollException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one instance and turns each result into a new {@link InstanceSnapshot}. A poll that starts
 * while the previous one is still running is skipped, so one instance is never polled twice at
 * once. A poll requested because the source changed is not lost that way: the running poll polls
 * once more when it ends.
 */
final class InstancePoll {

  private static final Logger logger = LoggerFactory.getLogger(InstancePoll.class);

  private final InstanceConfig instance;
  private final PollSettings settings;
  private final CryptoUnitSource source;
  private final SnapshotStore store;
  private final PollListener listener;
  private final Clock clock;
  private final UnitStateTracker tracker;
  private final RepeatedFailureLog failureLog;
  private final AtomicBoolean inFlight = new AtomicBoolean();
  /** Whether the previous successful poll saw different check values; read only by the poll. */
  private boolean masterKeyMismatch;
  /** Set when the source changed, cleared by the poll that reads the source after the change. */
  private final AtomicBoolean changePending = new AtomicBoolean();
  private final Set<Class<?>> unexpectedLogged = ConcurrentHashMap.newKeySet();

  InstancePoll(
      InstanceConfig instance,
      PollSettings settings,
      CryptoUnitSource source,
      SnapshotStore store,
      PollListener listener,
      Clock clock) {
    this.instance = instance;
    this.settings = settings;
    this.source = source;
    this.store = store;
    this.listener = listener;
    this.clock = clock;
    this.tracker = new UnitStateTracker(instance.id(), settings.warmUp());
    this.failureLog = new RepeatedFailureLog(instance.id());
  }

  InstanceConfig instance() {
    return instance;
  }

  /**
   * Takes over the unit history and failure log of the poll of the same instance in the poller
   * that this one replaces after a config reload, so that state-since times, warm-up and failure
   * counts survive. Call it before the first poll, once the previous poller has stopped.
   */
  void continueFrom(InstancePoll previous) {
    tracker.continueFrom(previous.tracker);
    failureLog.continueFrom(previous.failureLog);
    masterKeyMismatch = previous.masterKeyMismatch;
    unexpectedLogged.addAll(previous.unexpectedLogged);
  }

  /**
   * Polls the instance once and stores the resulting snapshot.
   *
   * @return the new snapshot, or null when a poll of this instance was already running
   */
  InstanceSnapshot run() {
    if (!inFlight.compareAndSet(false, true)) {
      logger.warn("Poll skipped because the previous one is still running instance_id={}",
          instance.id());
      return null;
    }
    return pollWhileChanged();
  }

  /**
   * Records that the source changed.
   *
   * @return true when no change was pending yet, so the caller must run {@link
   *     #runAfterChange()}; false when a poll that will read the change is already queued or
   *     running
   */
  boolean markChanged() {
    return !changePending.getAndSet(true);
  }

  /**
   * Polls the instance after {@link #markChanged()}, unless a poll is running. That poll then polls
   * once more when it ends, because it may have read the source before the change.
   */
  void runAfterChange() {
    if (!inFlight.compareAndSet(false, true)) {
      logger.debug("Poll after a source change deferred until the running poll ends"
          + " instance_id={}", instance.id());
      return;
    }
    pollWhileChanged();
  }

  /**
   * Polls while holding {@link #inFlight}, and again for as long as a change arrived during the
   * poll. The flag is released before the check, so that a change marked after the check finds no
   * poll running and polls itself.
   */
  private InstanceSnapshot pollWhileChanged() {
    InstanceSnapshot snapshot;
    do {
      try {
        changePending.set(false);
        snapshot = pollOnce();
        store.put(snapshot);
      } finally {
        inFlight.set(false);
      }
    } while (changePending.get() && inFlight.compareAndSet(false, true));
    return snapshot;
  }

  /** Logs when the units start or stop reporting different master-key check values. */
  private void logMasterKeyChange(InstanceSnapshot snapshot, Instant now) {
    boolean mismatch = snapshot.masterKeyMismatch(now);
    if (mismatch && !masterKeyMismatch) {
      logger.warn("Crypto units report different master-key check values instance_id={}"
          + " check_value_hashes={}", instance.id(), snapshot.masterKeyCheckValueHashes(now));
    } else if (!mismatch && masterKeyMismatch) {
      logger.info("Crypto units report one master-key check value again instance_id={}",
          instance.id());
    }
    masterKeyMismatch = mismatch;
  }

  private InstanceSnapshot pollOnce() {
    long startNanos = System.nanoTime();
    try {
      List<CryptoUnit> units = source.listCryptoUnits(instance);
      Instant now = clock.instant();
      Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
      failureLog.succeeded();
      logger.debug("Poll succeeded instance_id={} units={} duration_ms={}", instance.id(),
          units.size(), duration.toMillis());
      InstanceSnapshot snapshot = new InstanceSnapshot(instance, tracker.update(units, now), now,
          now.plus(settings.staleAfter()), true, true, duration, null, null);
      logMasterKeyChange(snapshot, now);
      return snapshot;
    } catch (PollException e) {
      return failed(e, startNanos);
    } catch (RuntimeException e) {
      // A bug in a source must not stop the poller. The closest reason is that the response could
      // not be turned into units.
      logUnexpected(e);
      PollException wrapped = new PollException(PollErrorReason.BAD_RESPONSE,
          "unexpected " + e.getClass().getSimpleName() + " while reading crypto units", e);
      return failed(wrapped, startNanos);
    }
  }

  /**
   * Logs the stack trace of the first unexpected exception of each class only, because a bug that
   * hits every poll would otherwise add a long trace to the log each time. The failure log still
   * records every repeat.
   */
  private void logUnexpected(RuntimeException e) {
    if (unexpectedLogged.add(e.getClass())) {
      logger.error("Poll failed with an unexpected error instance_id={}", instance.id(), e);
    }
  }

  private InstanceSnapshot failed(PollException error, long startNanos) {
    Duration duration = Duration.ofNanos(System.nanoTime() - startNanos);
    failureLog.failed(error, clock.instant());
    listener.pollFailed(instance.id(), error.reason());
    InstanceSnapshot previous = store.get(instance.id());
    return new InstanceSnapshot(instance, previous.units(), previous.unitsPolledAt(),
        previous.unitsExpireAt(), true, false, duration, error.reason(), error.getMessage());
  }
}
