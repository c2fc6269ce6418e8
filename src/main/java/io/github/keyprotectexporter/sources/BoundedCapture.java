package io.github.keyprotectexporter.sources;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a child process's output stream on its own daemon thread, keeping at most {@code limit}
 * bytes. It goes on reading and dropping bytes past the limit, so the child never blocks on a full
 * pipe, and completes {@link #overflow()} as soon as the limit is passed.
 */
final class BoundedCapture {

  private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
  private final CompletableFuture<Void> finished = new CompletableFuture<>();
  private final CompletableFuture<Void> overflow = new CompletableFuture<>();
  private final long limit;
  private long total;

  private BoundedCapture(long limit) {
    this.limit = limit;
  }

  /** Starts reading {@code in} until its end or until it is closed. */
  static BoundedCapture start(InputStream in, long limit, String threadName) {
    BoundedCapture capture = new BoundedCapture(limit);
    Thread thread = new Thread(() -> capture.drain(in), threadName);
    thread.setDaemon(true);
    thread.start();
    return capture;
  }

  private void drain(InputStream in) {
    byte[] buffer = new byte[8192];
    try (in) {
      int read;
      while ((read = in.read(buffer)) >= 0) {
        keep(buffer, read);
      }
    } catch (IOException e) {
      // The stream was closed because the process was killed; what was read so far stays.
    } finally {
      finished.complete(null);
    }
  }

  private synchronized void keep(byte[] buffer, int length) {
    long room = Math.max(0, limit - total);
    kept.write(buffer, 0, (int) Math.min(room, length));
    total += length;
    if (total > limit) {
      overflow.complete(null);
    }
  }

  /** Completes when the stream ended or was closed. */
  CompletableFuture<Void> finished() {
    return finished;
  }

  /** Completes when more than {@code limit} bytes arrived. */
  CompletableFuture<Void> overflow() {
    return overflow;
  }

  synchronized boolean overflowed() {
    return total > limit;
  }

  /** Returns the bytes kept so far, at most {@code limit}. */
  synchronized byte[] bytes() {
    return kept.toByteArray();
  }
}
