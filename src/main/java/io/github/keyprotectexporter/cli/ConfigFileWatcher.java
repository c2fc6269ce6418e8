package io.github.keyprotectexporter.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reloads the config soon after its file changes. It watches the file's directory rather than the
 * file, because editors and tools replace a file by renaming another one over it, and Kubernetes
 * updates a mounted ConfigMap by swapping a symbolic link. After the first event, it waits until
 * the directory has been quiet for {@link #DEBOUNCE}, then compares the file's SHA-256 digest with
 * the last one seen, so that several writes make one reload and changes to other files make none.
 *
 * <pre>{@code
 * ConfigFileWatcher watcher = ConfigFileWatcher.start(configFile, () -> agent.reload("file"));
 * ...
 * watcher.close();
 * }</pre>
 */
final class ConfigFileWatcher implements AutoCloseable {

  /** Quiet time after the last event in the directory before the file is read. */
  static final Duration DEBOUNCE = Duration.ofMillis(500);

  /** Maximum bytes read for the digest, above the config loader's own limit of 1 MiB. */
  private static final int MAX_FILE_BYTES = 2 * 1024 * 1024;
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Logger logger = LoggerFactory.getLogger(ConfigFileWatcher.class);

  private final Path file;
  private final Runnable onChange;
  private final WatchService service;
  private final Thread thread;
  private final AtomicInteger contentChecks = new AtomicInteger();
  private byte[] lastDigest;

  private ConfigFileWatcher(Path file, Runnable onChange, WatchService service) {
    this.file = file;
    this.onChange = onChange;
    this.service = service;
    this.thread = new Thread(this::watch, "config-file-watcher");
    thread.setDaemon(true);
  }

  /**
   * Starts watching {@code file} on a daemon thread. When its directory cannot be watched, logs a
   * warning and returns a watcher that does nothing, so SIGHUP and {@code POST /-/reload} remain.
   *
   * @param onChange called on the watcher's thread after the file's content changed
   */
  static ConfigFileWatcher start(Path file, Runnable onChange) {
    Path absolute = file.toAbsolutePath().normalize();
    Path directory = absolute.getParent();
    WatchService service = null;
    try {
      service = FileSystems.getDefault().newWatchService();
      directory.register(service, StandardWatchEventKinds.ENTRY_CREATE,
          StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_DELETE);
    } catch (IOException | UnsupportedOperationException e) {
      logger.warn("Config file not watched, reload it with SIGHUP or POST /-/reload file={}"
          + " error=\"{}\"", absolute, e.toString());
      closeQuietly(service);
      return new ConfigFileWatcher(absolute, onChange, null);
    }
    ConfigFileWatcher watcher = new ConfigFileWatcher(absolute, onChange, service);
    watcher.lastDigest = digest(absolute);
    watcher.thread.start();
    logger.info("Config file watcher started file={} directory={}", absolute, directory);
    return watcher;
  }

  private void watch() {
    try {
      while (true) {
        discardEvents(service.take());
        // Wait until the directory is quiet, so that a writer's several steps make one reload.
        WatchKey next;
        while ((next = service.poll(DEBOUNCE.toMillis(), TimeUnit.MILLISECONDS)) != null) {
          discardEvents(next);
        }
        reloadIfChanged();
      }
    } catch (InterruptedException | ClosedWatchServiceException e) {
      logger.debug("Config file watcher stopped file={}", file);
    }
  }

  /** Drops the events of {@code key}, which only signal that something in the directory changed. */
  private static void discardEvents(WatchKey key) {
    key.pollEvents();
    key.reset();
  }

  private void reloadIfChanged() {
    byte[] digest = digest(file);
    contentChecks.incrementAndGet();
    if (Arrays.equals(digest, lastDigest)) {
      return;
    }
    lastDigest = digest;
    logger.info("Config file changed, reloading file={}", file);
    try {
      onChange.run();
    } catch (RuntimeException e) {
      logger.error("Config reload after a file change failed unexpectedly file={}", file, e);
    }
  }

  /** Returns how often the file was read after a quiet period, for tests. */
  int contentChecks() {
    return contentChecks.get();
  }

  /**
   * Returns the SHA-256 digest of the file, or null when it cannot be read right now or is not a
   * regular file. A named pipe is not opened, because that blocks until a writer appears.
   */
  private static byte[] digest(Path file) {
    if (!Files.isRegularFile(file)) {
      return null;
    }
    try (InputStream in = Files.newInputStream(file)) {
      return MessageDigest.getInstance("SHA-256").digest(in.readNBytes(MAX_FILE_BYTES));
    } catch (IOException e) {
      // A missing file differs from every readable one, so its reappearance triggers a reload.
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM provides SHA-256", e);
    }
  }

  /** Stops watching and waits up to 5 seconds for a reload in progress on the watcher's thread. */
  @Override
  public void close() {
    if (service == null) {
      return;
    }
    // A closed service ends the thread's wait; an interrupt could cut a reload short.
    closeQuietly(service);
    try {
      thread.join(STOP_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void closeQuietly(WatchService service) {
    if (service == null) {
      return;
    }
    try {
      service.close();
    } catch (IOException e) {
      // Nothing is left to release: the service is being discarded either way.
      logger.debug("Closing the watch service failed", e);
    }
  }
}
