package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.Durations;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every instance in the background and keeps {@link SnapshotStore} current.
 *
 * <p>All instances are polled at once at start, then each one every {@code poll.interval} measured
 * from the start of its previous poll, plus or minus {@link #JITTER_FRACTION} of the interval so
 * that polls spread out instead of hitting the API in bursts. A pool of {@code poll.concurrency}
 * threads bounds how many polls, and so how many requests, are in flight at once.
 *
 * <pre>{@code
 * Poller poller = new Poller(settings, instances, source, store, listener, Clock.systemUTC());
 * poller.start();
 * ...
 * poller.close();
 * }</pre>
 */
public final class Poller implements AutoCloseable {

  /** Half-width of the random jitter added to each interval, as a fraction of the interval. */
  static final double JITTER_FRACTION = 0.05;

  private static final Logger logger = LoggerFactory.getLogger(Poller.class);
  private static final Duration SHUTDOWN_GRACE = Duration.ofSeconds(5);

  private final PollSettings settings;
  private final List<InstancePoll> polls;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService workers;

  public Poller(
      PollSettings settings,
      List<InstanceConfig> instances,
      CryptoUnitSource source,
      SnapshotStore store,
      PollListener listener,
      Clock clock) {
    this.settings = settings;
    this.polls = new ArrayList<>(instances.size());
    for (InstanceConfig instance : instances) {
      polls.add(new InstancePoll(instance, settings, source, store, listener, clock));
    }
    this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("poll-scheduler"));
    this.workers = Executors.newFixedThreadPool(settings.concurrency(), threads("poll-worker"));
  }

  /** Starts polling: every instance is polled at once, then on its interval. */
  public void start() {
    logger.info("Poller started instances={} interval={} concurrency={}", polls.size(),
        Durations.format(settings.interval()), settings.concurrency());
    for (InstancePoll poll : polls) {
      submit(poll);
    }
  }

  /**
   * Polls every instance once, in parallel up to the configured concurrency, and waits for all.
   * Used by the {@code once} command instead of {@link #start()}.
   *
   * @return the new snapshots, without those of instances whose previous poll was still running
   */
  public List<InstanceSnapshot> pollAllOnce() throws InterruptedException {
    List<Callable<InstanceSnapshot>> tasks = new ArrayList<>();
    for (InstancePoll poll : polls) {
      tasks.add(poll::run);
    }
    List<InstanceSnapshot> results = new ArrayList<>();
    for (Future<InstanceSnapshot> future : workers.invokeAll(tasks)) {
      try {
        InstanceSnapshot snapshot = future.get();
        if (snapshot != null) {
          results.add(snapshot);
        }
      } catch (ExecutionException e) {
        throw new IllegalStateException("poll failed unexpectedly", e.getCause());
      }
    }
    return results;
  }

  private void submit(InstancePoll poll) {
    try {
      workers.execute(() -> runAndReschedule(poll));
    } catch (RejectedExecutionException e) {
      logger.debug("Poll not submitted during shutdown instance_id={}", poll.instance().id());
    }
  }

  private void runAndReschedule(InstancePoll poll) {
    long startNanos = System.nanoTime();
    try {
      poll.run();
    } finally {
      long elapsed = System.nanoTime() - startNanos;
      long delay = Math.max(0, nextIntervalNanos() - elapsed);
      schedule(poll, delay);
    }
  }

  private void schedule(InstancePoll poll, long delayNanos) {
    try {
      scheduler.schedule(() -> submit(poll), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      logger.debug("Poll not scheduled during shutdown instance_id={}", poll.instance().id());
    }
  }

  private long nextIntervalNanos() {
    long interval = settings.interval().toNanos();
    double jitter = ThreadLocalRandom.current().nextDouble(-JITTER_FRACTION, JITTER_FRACTION);
    return interval + (long) (interval * jitter);
  }

  /** Stops scheduling, waits briefly for polls in flight, then interrupts them. */
  @Override
  public void close() {
    scheduler.shutdownNow();
    workers.shutdown();
    try {
      if (!workers.awaitTermination(SHUTDOWN_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
    logger.info("Poller stopped");
  }

  private static ThreadFactory threads(String prefix) {
    AtomicInteger counter = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
