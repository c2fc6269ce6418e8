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
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls one instance and turns each result into a new {@link InstanceSnapshot}.
 *
 * <p>A poll is one or more attempts: a retryable failure is retried as {@link RetryPolicy} allows,
 * after a wait on the scheduler, so no worker thread waits. A poll that starts while the previous
 * one is still queued, running or waiting for a retry is skipped and counted, so one instance is
 * never polled twice at once. A poll requested because the source changed is not lost that way:
 * the running poll polls once more when it ends.
 *
 * <p>After a {@code Retry-After}, no request goes to the instance before that time. A poll that
 * starts earlier waits for it when it ends before the poll's deadline, and otherwise fails at once
 * as {@code rate_limited} without a request.
 */
final class InstancePoll {

  private static final Logger logger = LoggerFactory.getLogger(InstancePoll.class);

  /** One poll: its deadline for starting attempts, and the future its snapshot completes. */
  private record Run(Instant deadline, CompletableFuture<InstanceSnapshot> result) {}

  private final InstanceConfig instance;
  private final PollSettings settings;
  private final CryptoUnitSource source;
  private final SnapshotStore store;
  private final PollListener listener;
  private final Clock clock;
  private final Attempts attempts;
  private final RetryPolicy retryPolicy;
  private final UnitStateTracker tracker;
  private final RepeatedFailureLog failureLog;
  private final RetryLog retryLog;
  /** Held from the start of a poll until its last attempt ends, waits for retries included. */
  private final AtomicBoolean inFlight = new AtomicBoolean();
  /** Whether the previous successful poll saw different check values; read only by the poll. */
  private boolean masterKeyMismatch;
  /** Set when the source changed, cleared by the poll that reads the source after the change. */
  private final AtomicBoolean changePending = new AtomicBoolean();
  private final Set<Class<?>> unexpectedLogged = ConcurrentHashMap.newKeySet();
  /** No request may go to the instance before this time, set from {@code Retry-After}. */
  private volatile Instant blockedUntil = Instant.MIN;

  InstancePoll(
      InstanceConfig instance,
      PollSettings settings,
      CryptoUnitSource source,
      SnapshotStore store,
      PollListener listener,
      Clock clock,
      Attempts attempts,
      RetryPolicy retryPolicy) {
    this.instance = instance;
    this.settings = settings;
    this.source = source;
    this.store = store;
    this.listener = listener;
    this.clock = clock;
    this.attempts = attempts;
    this.retryPolicy = retryPolicy;
    this.tracker = new UnitStateTracker(instance.id(), settings.warmUp());
    this.failureLog = new RepeatedFailureLog(instance.id());
    this.retryLog = new RetryLog(instance.id());
  }

  InstanceConfig instance() {
    return instance;
  }

  /**
   * Takes over the unit history and failure log of the poll of the same instance in the poller
   * that this one replaces after a config reload, so that state-since times, warm-up, failure
   * counts and a {@code Retry-After} block survive. The block survives only while the endpoint
   * and source stay the same, because it belongs to the server that sent it. Call it before the
   * first poll, once the previous poller has stopped.
   */
  void continueFrom(InstancePoll previous) {
    tracker.continueFrom(previous.tracker);
    if (previous.instance.endpoint().equals(instance.endpoint())
        && Objects.equals(previous.instance.source(), instance.source())) {
      blockedUntil = previous.blockedUntil;
    }
    failureLog.continueFrom(previous.failureLog);
    masterKeyMismatch = previous.masterKeyMismatch;
    unexpectedLogged.addAll(previous.unexpectedLogged);
  }

  /**
   * Starts a poll of the instance, unless one is in flight: then this poll is skipped, logged and
   * counted.
   *
   * @param deadline the time after which the poll starts no further attempt
   * @return the future snapshot, completed with null when the poll was skipped or the poller shut
   *     down before it ended
   */
  CompletableFuture<InstanceSnapshot> start(Instant deadline) {
    if (!inFlight.compareAndSet(false, true)) {
      logger.warn("Poll skipped because the previous one is still running instance_id={}",
          instance.id());
      listener.pollSkipped(instance.id());
      return CompletableFuture.completedFuture(null);
    }
    Run run = new Run(deadline, new CompletableFuture<>());
    begin(run);
    return run.result();
  }

  /**
   * Records that the source changed.
   *
   * @return true when no change was pending yet, so the caller must run {@link
   *     #startAfterChange()}; false when a poll that will read the change is already queued or
   *     running
   */
  boolean markChanged() {
    return !changePending.getAndSet(true);
  }

  /**
   * Polls the instance after {@link #markChanged()}, unless a poll is in flight. That poll then
   * polls once more when it ends, because it may have read the source before the change.
   */
  void startAfterChange() {
    if (!inFlight.compareAndSet(false, true)) {
      logger.debug("Poll after a source change deferred until the running poll ends"
          + " instance_id={}", instance.id());
      return;
    }
    begin(new Run(clock.instant().plus(settings.interval()), new CompletableFuture<>()));
  }

  /** Makes the first attempt of a poll that holds {@link #inFlight}, now or after the block. */
  private void begin(Run run) {
    changePending.set(false);
    Instant now = clock.instant();
    Instant blocked = blockedUntil;
    if (!blocked.isAfter(now)) {
      attempts.runNow(() -> attempt(run, 0), () -> abandon(run));
    } else if (blocked.isAfter(run.deadline())) {
      finish(run, failed(blockedFailure(blocked), Duration.ZERO));
    } else {
      logger.debug("Poll deferred until the Retry-After time instance_id={} until={}",
          instance.id(), blocked);
      attempts.runAfter(Duration.between(now, blocked), () -> attempt(run, 0),
          () -> abandon(run));
    }
  }

  private PollException blockedFailure(Instant blocked) {
    return new PollException(PollErrorReason.RATE_LIMITED,
        "not polled, because the API asked for no request before " + blocked
            + " (Retry-After)");
  }

  /** Makes one attempt, then finishes the poll or schedules the next attempt. */
  private void attempt(Run run, int retriesMade) {
    long startNanos = System.nanoTime();
    try {
      List<CryptoUnit> units = source.listCryptoUnits(instance);
      finish(run, succeeded(units, Duration.ofNanos(System.nanoTime() - startNanos)));
    } catch (PollException e) {
      afterFailure(run, retriesMade, e, Duration.ofNanos(System.nanoTime() - startNanos));
    } catch (RuntimeException e) {
      // A bug in a source must not stop the poller. The closest reason is that the response could
      // not be turned into units.
      logUnexpected(e);
      PollException wrapped = new PollException(PollErrorReason.BAD_RESPONSE,
          "unexpected " + e.getClass().getSimpleName() + " while reading crypto units", e);
      finish(run, failed(wrapped, Duration.ofNanos(System.nanoTime() - startNanos)));
    }
  }

  private void afterFailure(Run run, int retriesMade, PollException error, Duration duration) {
    Instant now = clock.instant();
    error.retryAfter().ifPresent(wait -> blockedUntil = now.plus(wait));
    Optional<Duration> wait = retryPolicy.retryWait(retriesMade, error, now, run.deadline());
    if (wait.isEmpty()) {
      finish(run, failed(error, duration));
      return;
    }
    int nextAttempt = retriesMade + 2;
    retryLog.retrying(nextAttempt, wait.get(), error.reason().label(), error.getMessage(), now);
    attempts.runAfter(wait.get(), () -> attempt(run, retriesMade + 1), () -> abandon(run));
  }

  /**
   * Stores the poll's snapshot and releases {@link #inFlight}, then polls again when the source
   * changed meanwhile. The flag is released before that check, so that a change marked after the
   * check finds no poll running and polls itself.
   */
  private void finish(Run run, InstanceSnapshot snapshot) {
    try {
      store.put(snapshot);
    } finally {
      inFlight.set(false);
      run.result().complete(snapshot);
    }
    if (changePending.get() && inFlight.compareAndSet(false, true)) {
      begin(new Run(clock.instant().plus(settings.interval()), new CompletableFuture<>()));
    }
  }

  /** Ends a poll whose next attempt the shutting-down poller rejected. */
  private void abandon(Run run) {
    logger.debug("Poll abandoned during shutdown instance_id={}", instance.id());
    inFlight.set(false);
    run.result().complete(null);
  }

  private InstanceSnapshot succeeded(List<CryptoUnit> units, Duration duration) {
    Instant now = clock.instant();
    failureLog.succeeded();
    logger.debug("Poll succeeded instance_id={} units={} duration_ms={}", instance.id(),
        units.size(), duration.toMillis());
    InstanceSnapshot snapshot = new InstanceSnapshot(instance, tracker.update(units, now), now,
        now.plus(settings.staleAfter()), true, true, duration, null, null);
    logMasterKeyChange(snapshot, now);
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

  /**
   * Returns the snapshot of a failed poll, which keeps the last good units.
   *
   * @param duration the duration of the last attempt, without the waits before retries
   */
  private InstanceSnapshot failed(PollException error, Duration duration) {
    failureLog.failed(error, clock.instant());
    listener.pollFailed(instance.id(), error.reason());
    InstanceSnapshot previous = store.get(instance.id());
    return new InstanceSnapshot(instance, previous.units(), previous.unitsPolledAt(),
        previous.unitsExpireAt(), true, false, duration, error.reason(), error.getMessage());
  }
}
