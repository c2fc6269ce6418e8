package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.Durations;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import io.github.keyprotectexporter.sources.KeyProbe;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 * Polls every instance in the background and keeps {@link SnapshotStore} current, and probes the
 * key operations of every instance whose probe is enabled.
 *
 * <p>All instances are polled (and probed) at once at start, then each one every {@code
 * poll.interval} (its {@code probe.interval}) measured from the start of its previous poll (probe),
 * plus or minus {@link #JITTER_FRACTION} of the interval so that requests spread out instead of
 * hitting the API in bursts. Polls and probes share one pool of {@code poll.concurrency} threads,
 * which bounds how many of them, and so how many requests, are in flight at once. {@link
 * #pollSoon(String)} polls one instance in between, when its source changed.
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

  /** One instance's poll or probe, repeated every {@code interval}. */
  private record Task(String kind, String instanceId, Duration interval, Runnable body) {}

  private final PollSettings settings;
  private final List<InstancePoll> polls;
  private final Map<String, InstancePoll> pollsById;
  private final List<InstanceProbe> probes;
  private final ScheduledExecutorService scheduler;
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
    this.settings = settings;
    this.polls = new ArrayList<>(instances.size());
    this.probes = new ArrayList<>();
    this.pollsById = new HashMap<>();
    for (InstanceConfig instance : instances) {
      InstancePoll poll = new InstancePoll(instance, settings, source, store, listener, clock);
      polls.add(poll);
      pollsById.putIfAbsent(instance.id(), poll);
      if (probe != null && instance.probe().enabled()) {
        probes.add(new InstanceProbe(instance, probe, store, probeListener, clock));
      }
    }
    this.scheduler = Executors.newSingleThreadScheduledExecutor(threads("poll-scheduler"));
    this.workers = Executors.newFixedThreadPool(settings.concurrency(), threads("poll-worker"));
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
      submit(new Task("Poll", poll.instance().id(), settings.interval(), poll::run));
    }
    for (InstanceProbe probe : probes) {
      InstanceConfig instance = probe.instance();
      submit(new Task("Key probe", instance.id(), instance.probe().interval(), probe::run));
    }
  }

  /**
   * Polls and probes every instance once, in parallel up to the configured concurrency, and waits
   * for all. Used by the {@code once} command instead of {@link #start()}.
   *
   * @return the poll snapshots in instance order, without those of instances whose previous poll
   *     was still running; the probe results are in the store
   */
  public List<InstanceSnapshot> pollAllOnce() throws InterruptedException {
    List<Callable<InstanceSnapshot>> tasks = new ArrayList<>();
    for (InstancePoll poll : polls) {
      tasks.add(poll::run);
    }
    for (InstanceProbe probe : probes) {
      tasks.add(() -> {
        probe.run();
        return null;
      });
    }
    List<InstanceSnapshot> results = new ArrayList<>();
    List<Future<InstanceSnapshot>> futures = workers.invokeAll(tasks);
    for (Future<InstanceSnapshot> future : futures.subList(0, polls.size())) {
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

  /**
   * Polls one instance as soon as a worker is free, outside its schedule, because its source
   * changed. The schedule stays as it is. A poll of the instance that is already running is not
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
    if (!poll.markChanged()) {
      return;
    }
    try {
      workers.execute(poll::runAfterChange);
    } catch (RejectedExecutionException e) {
      logger.debug("Poll after a source change not submitted during shutdown instance_id={}",
          instanceId);
    }
  }

  private void submit(Task task) {
    try {
      workers.execute(() -> runAndReschedule(task));
    } catch (RejectedExecutionException e) {
      logger.debug("{} not submitted during shutdown instance_id={}", task.kind(),
          task.instanceId());
    }
  }

  private void runAndReschedule(Task task) {
    long startNanos = System.nanoTime();
    try {
      task.body().run();
    } finally {
      long elapsed = System.nanoTime() - startNanos;
      long delay = Math.max(0, nextIntervalNanos(task.interval()) - elapsed);
      schedule(task, delay);
    }
  }

  private void schedule(Task task, long delayNanos) {
    try {
      scheduler.schedule(() -> submit(task), delayNanos, TimeUnit.NANOSECONDS);
    } catch (RejectedExecutionException e) {
      logger.debug("{} not scheduled during shutdown instance_id={}", task.kind(),
          task.instanceId());
    }
  }

  private static long nextIntervalNanos(Duration interval) {
    long nanos = interval.toNanos();
    double jitter = ThreadLocalRandom.current().nextDouble(-JITTER_FRACTION, JITTER_FRACTION);
    return nanos + (long) (nanos * jitter);
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
