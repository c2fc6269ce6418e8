package io.github.keyprotectexporter.polling;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * Runs short tasks after a delay: the poller's only way to wait, so that no poll or retry blocks a
 * worker thread while it waits. Tests replace it with one that they drive by hand.
 */
interface TaskScheduler extends AutoCloseable {

  /**
   * Runs {@code task} once {@code delay} has passed, on the scheduler's own thread.
   *
   * @throws RejectedExecutionException after {@link #close()}
   */
  void schedule(Runnable task, Duration delay);

  /** Drops every task not yet run. */
  @Override
  void close();

  /** Creates a scheduler backed by one daemon thread. */
  static TaskScheduler singleThread(ThreadFactory threads) {
    ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(threads);
    return new TaskScheduler() {
      @Override
      public void schedule(Runnable task, Duration delay) {
        executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
      }

      @Override
      public void close() {
        executor.shutdownNow();
      }
    };
  }
}
