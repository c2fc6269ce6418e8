package io.github.keyprotectexporter.polling;

import static org.awaitility.Awaitility.await;

import io.github.keyprotectexporter.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.concurrent.RejectedExecutionException;

/**
 * A {@link TaskScheduler} whose tasks run only when a test moves its clock: each task runs on the
 * test thread, at its due time on the clock, in due order and then in the order scheduled.
 */
final class ManualScheduler implements TaskScheduler {

  private record Entry(Instant dueAt, long sequence, Runnable task) {}

  private final MutableClock clock;
  private final PriorityQueue<Entry> queue = new PriorityQueue<>(
      Comparator.comparing(Entry::dueAt).thenComparingLong(Entry::sequence));
  private long nextSequence;
  private boolean closed;

  ManualScheduler(MutableClock clock) {
    this.clock = clock;
  }

  @Override
  public synchronized void schedule(Runnable task, Duration delay) {
    if (closed) {
      throw new RejectedExecutionException("scheduler closed");
    }
    queue.add(new Entry(clock.instant().plus(delay), nextSequence++, task));
  }

  @Override
  public synchronized void close() {
    closed = true;
    queue.clear();
  }

  synchronized int pending() {
    return queue.size();
  }

  /** Waits until {@code count} tasks are scheduled, because workers schedule retries. */
  void awaitPending(int count) {
    await().atMost(Duration.ofSeconds(20)).until(() -> pending() == count);
  }

  /** Moves the clock to the earliest task's due time and runs every task due then. */
  void runNext() {
    Instant dueAt;
    synchronized (this) {
      dueAt = queue.peek().dueAt();
    }
    advanceTo(dueAt);
  }

  /** Moves the clock forward by {@code duration}, running each task as it falls due. */
  void advance(Duration duration) {
    advanceTo(clock.instant().plus(duration));
  }

  private void advanceTo(Instant end) {
    while (true) {
      Entry next;
      synchronized (this) {
        next = queue.peek();
        if (next == null || next.dueAt().isAfter(end)) {
          break;
        }
        queue.poll();
      }
      if (next.dueAt().isAfter(clock.instant())) {
        clock.advance(Duration.between(clock.instant(), next.dueAt()));
      }
      next.task().run();
    }
    if (end.isAfter(clock.instant())) {
      clock.advance(Duration.between(clock.instant(), end));
    }
  }
}
