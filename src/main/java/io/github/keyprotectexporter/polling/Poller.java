package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.Durations;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import io.github.keyprotectexporter.sources.KeyProbe;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Polls every instance in the background and keeps {@link SnapshotStore} current, and probes the
 * key operations of every instance whose probe is enabled.
 *
 * <p>All instances are polled (and probed) at once at start, then each one every {@code
 * poll.interval} (its {@code probe.interval}) measured from the start of its previous poll (probe),
 * plus or minus {@link #JITTER_FRACTION} of the interval so that requests spread out instead of
 * hitting the API in bursts. A poll that would start while the previous one of its instance is
 * still in flight is skipped and counted. Polls and probes share one pool of {@code
 * poll.concurrency} threads, which bounds how many of them, and so how many requests, are in
 * flight at once. Waits before retries run on the scheduler and hold no worker thread. {@link
 * #pollSoon(String)} polls one instance in between, when its source changed.
 *
 * <p>A failed poll is retried as {@link RetryPolicy} describes, until the poll's deadline: its
 * start plus {@code poll.interval}.
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

  /** One instance's poll or probe, started every {@code interval} with its deadline. */
  private record Task(String kind, String instanceId, Duration interval, Consumer<Instant> start) {}

  private final PollSettings settings;
  private final Clock clock;
  private final RandomGenerator random;
  private final List<InstancePoll> polls;
  private final Map<String, InstancePoll> pollsById;
  private final List<InstanceProbe> probes;
  private final TaskScheduler scheduler;
  private final ExecutorService workers;

  /** Creates a poller that polls the crypto units only, without key-operation probes. */
  public Poller(
      PollSettings settings,
      List<InstanceConfig> instances,
      CryptoUnitSource source,
      SnapshotStore store,
      PollListener listener,
      Clock clock) {
    this(settings, instances, source, store, listener, null, ProbeListener.NONE, clock);
  }

  /**
   * Creates a poller that also probes every instance whose probe is enabled.
   *
   * @param probe the key-operation probe, or null to probe no instance
   */
  public Poller(
      PollSettings settings,
      List<InstanceConfig> instances,
      CryptoUnitSource source,
      SnapshotStore store,
      PollListener listener,
      KeyProbe probe,
      ProbeListener probeListener,
      Clock clock) {
    this(settings, instances, source, store, listener, probe, probeListener, clock,
        TaskScheduler.singleThread(threads("poll-scheduler")), new Random());
  }

  /**
   * Creates a poller that waits on {@code scheduler} and draws jitter from {@code random}, so that
   * tests can drive time and fix the jitter.
   */
  Poller(
      PollSettings settings,
      List<InstanceConfig> instances,
      CryptoUnitSource source,
      SnapshotStore store,
      PollListener listener,
      KeyProbe probe,
      ProbeListener probeListener,
      Clock clock,
      TaskScheduler scheduler,
      RandomGenerator random) {
    this.settings = settings;
    this.clock = clock;
    this.random = random;
    this.scheduler = scheduler;
    this.workers = Executors.newFixedThreadPool(settings.concurrency(), threads("poll-worker"));
    Attempts attempts = new Attempts(scheduler, workers);
    RetryPolicy retryPolicy = new RetryPolicy(random);
    this.polls = new ArrayList<>(instances.size());
    this.probes = new ArrayList<>();
    this.pollsById = new HashMap<>();
    for (InstanceConfig instance : instances) {
      InstancePoll poll = new InstancePoll(instance, settings, source, store, listener, clock,
          attempts, retryPolicy);
      polls.add(poll);
      pollsById.putIfAbsent(instance.id(), poll);
      if (probe != null && instance.probe().enabled()) {
        probes.add(new InstanceProbe(instance, probe, store, probeListener, clock, attempts));
      }
    }
  }

  /**
   * Continues the history of {@code previous}, the poller that this one replaces after a config
   * reload: each instance that both pollers poll keeps its units' state-since times, warm-up and
   * failure log. Call it after {@code previous} is closed and before {@link #start()}.
   */
  public void continueFrom(Poller previous) {
    for (InstancePoll poll : polls) {
      InstancePoll before = previous.pollsById.get(poll.instance().id());
      if (before != null) {
        poll.continueFrom(before);
      }
    }
  }

  /** Starts polling and probing: every instance at once, then each on its interval. */
  public void start() {
    logger.info("Poller started instances={} probed_instances={} interval={} concurrency={}",
        polls.size(), probes.size(), Durations.format(settings.interval()),
        settings.concurrency());
    for (InstancePoll poll : polls) {
      fire(new Task("Poll", poll.instance().id(), settings.interval(), poll::start));
    }
    for (InstanceProbe probe : probes) {
      InstanceConfig instance = probe.instance();
      fire(new Task("Key probe", instance.id(), instance.probe().interval(),
          deadline -> probe.start()));
    }
  }

  /**
   * Polls and probes every instance once, in parallel up to the configured concurrency, and waits
   * for all, retries included. Used by the {@code once} command instead of {@link #start()}.
   *
   * @return the poll snapshots in instance order, without those of instances whose previous poll
   *     was still running; the probe results are in the store
   */
  public List<InstanceSnapshot> pollAllOnce() throws InterruptedException {
    Instant deadline = clock.instant().plus(settings.interval());
    List<CompletableFuture<InstanceSnapshot>> pollResults = new ArrayList<>();
    for (InstancePoll poll : polls) {
      pollResults.add(poll.start(deadline));
    }
    List<CompletableFuture<?>> all = new ArrayList<>(pollResults);
    for (InstanceProbe probe : probes) {
      all.add(probe.start());
    }
    try {
      CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("poll failed unexpectedly", e.getCause());
    }
    List<InstanceSnapshot> results = new ArrayList<>();
    for (CompletableFuture<InstanceSnapshot> result : pollResults) {
      InstanceSnapshot snapshot = result.join();
      if (snapshot != null) {
        results.add(snapshot);
      }
    }
    return results;
  }

  /**
   * Polls one instance as soon as a worker is free, outside its schedule, because its source
   * changed. The schedule stays as it is. A poll of the instance that is already in flight is not
   * overlapped: it polls once more when it ends. Calls repeated before the poll starts are merged
   * into it.
   *
   * @throws IllegalArgumentException when the instance is not configured
   */
  public void pollSoon(String instanceId) {
    InstancePoll poll = pollsById.get(instanceId);
    if (poll == null) {
      throw new IllegalArgumentException("instance not configured: " + instanceId);
    }
    if (poll.markChanged()) {
      poll.startAfterChange();
    }
  }

  /**
   * Schedules the task's next start, then starts it now. Scheduling first keeps the schedule
   * independent of how long the task runs, so a task still in flight at its next start is skipped.
   */
  private void fire(Task task) {
    Instant deadline = clock.instant().plus(task.interval());
    schedule(task, nextInterval(task.interval()));
    task.start().accept(deadline);
  }

  private void schedule(Task task, Duration delay) {
    try {
      scheduler.schedule(() -> fire(task), delay);
    } catch (RejectedExecutionException e) {
      logger.debug("{} not scheduled during shutdown instance_id={}", task.kind(),
          task.instanceId());
    }
  }

  private Duration nextInterval(Duration interval) {
    long nanos = interval.toNanos();
    double jitter = (random.nextDouble() * 2 - 1) * JITTER_FRACTION;
    return Duration.ofNanos(nanos + (long) (nanos * jitter));
  }

  /** Stops scheduling, waits briefly for polls in flight, then interrupts them. */
  @Override
  public void close() {
    scheduler.close();
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
