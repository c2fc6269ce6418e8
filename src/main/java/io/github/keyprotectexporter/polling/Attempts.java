package io.github.keyprotectexporter.polling;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * Runs poll and probe attempts on the worker pool, at once or after a wait. A wait is a task on the
 * {@link TaskScheduler}, so it blocks no worker thread and other instances are polled meanwhile.
 */
final class Attempts {

  private final TaskScheduler scheduler;
  private final Executor workers;

  Attempts(TaskScheduler scheduler, Executor workers) {
    this.scheduler = scheduler;
    this.workers = workers;
  }

  /**
   * Runs {@code attempt} on a worker as soon as one is free.
   *
   * @param rejected runs instead when the poller is shutting down, so the caller can clean up
   */
  void runNow(Runnable attempt, Runnable rejected) {
    try {
      workers.execute(attempt);
    } catch (RejectedExecutionException e) {
      rejected.run();
    }
  }

  /**
   * Runs {@code attempt} on a worker once {@code wait} has passed.
   *
   * @param rejected runs instead when the poller is shutting down, so the caller can clean up
   */
  void runAfter(Duration wait, Runnable attempt, Runnable rejected) {
    try {
      scheduler.schedule(() -> runNow(attempt, rejected), wait);
    } catch (RejectedExecutionException e) {
      rejected.run();
    }
  }
}
