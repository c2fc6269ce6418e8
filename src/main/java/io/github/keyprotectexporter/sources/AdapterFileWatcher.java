package io.github.keyprotectexporter.sources;

import static java.nio.file.StandardWatchEventKinds.ENTRY_CREATE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_DELETE;
import static java.nio.file.StandardWatchEventKinds.ENTRY_MODIFY;
import static java.nio.file.StandardWatchEventKinds.OVERFLOW;

import io.github.keyprotectexporter.config.FileSourceConfig;
import io.github.keyprotectexporter.config.InstanceConfig;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the directories of the adapter files, and requests a poll of every instance that reads a
 * file soon after the file is created, written, renamed into place or deleted. The poll interval
 * stays as it is, so this only makes changes show sooner. The directory is watched, not the file,
 * because writers replace the file by renaming a temporary file over it. Events of one file within
 * {@link #DEBOUNCE} are merged into one request, and events of other files in the directory, such
 * as the writer's temporary file, are ignored.
 *
 * <p>When the platform has no watch service, or a directory cannot be watched, the watcher logs one
 * warning for it and the files concerned are read at each poll only.
 *
 * <pre>{@code
 * AdapterFileWatcher watcher = AdapterFileWatcher.start(config.instances(), poller::pollSoon);
 * ...
 * watcher.close();
 * }</pre>
 *
 * <p>NOTE: a file that is a symbolic link is watched under its link name only, so a change of the
 * link's target, as in a Kubernetes ConfigMap volume, is seen at the next poll only.
 */
public final class AdapterFileWatcher implements AutoCloseable {

  /** Time from the first event of a file to the poll request, which merges a writer's events. */
  static final Duration DEBOUNCE = Duration.ofMillis(200);

  /** Minimum time between two logged failures of one file. Failures in between are counted. */
  static final Duration FAILURE_LOG_INTERVAL = Duration.ofMinutes(1);

  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);
  private static final Logger logger = LoggerFactory.getLogger(AdapterFileWatcher.class);

  /** Opens the watch service; a test replaces it to simulate a platform without one. */
  @FunctionalInterface
  interface WatchServiceFactory {
    WatchService open() throws IOException;
  }

  private final Map<Path, List<String>> instanceIdsByFile;
  private final Consumer<String> pollSoon;
  private final long debounceNanos;
  private final WatchService service;
  private final Thread thread;
  private final AtomicBoolean closed = new AtomicBoolean();
  // The maps below are filled before the thread starts and then used by the thread only.
  private final Map<WatchKey, Path> directories = new HashMap<>();
  private final Map<Path, Long> dueNanosByFile = new HashMap<>();
  private final Map<Path, Long> lastFailureLogNanos = new HashMap<>();
  private final Map<Path, Integer> suppressedFailures = new HashMap<>();

  private AdapterFileWatcher(Map<Path, List<String>> instanceIdsByFile, Consumer<String> pollSoon,
      Duration debounce, WatchService service) {
    this.instanceIdsByFile = instanceIdsByFile;
    this.pollSoon = pollSoon;
    this.debounceNanos = debounce.toNanos();
    this.service = service;
    this.thread = new Thread(this::watch, "adapter-file-watcher");
    thread.setDaemon(true);
  }

  /**
   * Starts watching the adapter files of {@code instances}, on a daemon thread. Does nothing when
   * no instance reads an adapter file.
   *
   * @param pollSoon called on the watcher's thread with the id of an instance whose file changed
   */
  public static AdapterFileWatcher start(List<InstanceConfig> instances,
      Consumer<String> pollSoon) {
    return start(instances, pollSoon, DEBOUNCE, () -> FileSystems.getDefault().newWatchService());
  }

  static AdapterFileWatcher start(List<InstanceConfig> instances, Consumer<String> pollSoon,
      Duration debounce, WatchServiceFactory factory) {
    Objects.requireNonNull(pollSoon, "pollSoon");
    Map<Path, List<String>> instanceIdsByFile = instanceIdsByFile(instances);
    if (instanceIdsByFile.isEmpty()) {
      return new AdapterFileWatcher(instanceIdsByFile, pollSoon, debounce, null);
    }
    WatchService service;
    try {
      service = factory.open();
    } catch (IOException | UnsupportedOperationException e) {
      logger.warn("Adapter files not watched, so they are read at each poll only files={}"
          + " error=\"{}\"", instanceIdsByFile.keySet(), describe(e));
      return new AdapterFileWatcher(instanceIdsByFile, pollSoon, debounce, null);
    }
    AdapterFileWatcher watcher =
        new AdapterFileWatcher(instanceIdsByFile, pollSoon, debounce, service);
    watcher.registerDirectories();
    if (watcher.directories.isEmpty()) {
      closeQuietly(service);
      return new AdapterFileWatcher(instanceIdsByFile, pollSoon, debounce, null);
    }
    watcher.thread.start();
    logger.info("Adapter file watcher started directories={} files={}",
        watcher.directories.size(), instanceIdsByFile.size());
    return watcher;
  }

  private static Map<Path, List<String>> instanceIdsByFile(List<InstanceConfig> instances) {
    Map<Path, List<String>> result = new LinkedHashMap<>();
    for (InstanceConfig instance : instances) {
      if (instance.source() instanceof FileSourceConfig file) {
        Path path = CryptoUnitSources.adapterFilePath(file);
        result.computeIfAbsent(path, p -> new ArrayList<>()).add(instance.id());
      }
    }
    return result;
  }

  /** Registers the directory of every file, logging one warning per directory that fails. */
  private void registerDirectories() {
    TreeSet<Path> parents = new TreeSet<>();
    for (Path file : instanceIdsByFile.keySet()) {
      if (file.getParent() != null) {
        parents.add(file.getParent());
      }
    }
    for (Path directory : parents) {
      try {
        directories.put(directory.register(service, ENTRY_CREATE, ENTRY_MODIFY, ENTRY_DELETE),
            directory);
      } catch (IOException | UnsupportedOperationException e) {
        logger.warn("Adapter file directory not watched, so its files are read at each poll only"
            + " path={} error=\"{}\"", directory, describe(e));
      }
    }
  }

  private static void closeQuietly(WatchService service) {
    try {
      service.close();
    } catch (IOException e) {
      logger.debug("Failed to close an unused watch service error=\"{}\"", describe(e));
    }
  }

  private static String describe(Exception e) {
    if (e instanceof NoSuchFileException) {
      return "not found";
    }
    if (e instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (e instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (e instanceof FileSystemException failure && failure.getReason() != null) {
      return failure.getReason();
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private void watch() {
    try {
      while (true) {
        WatchKey key = nextKey();
        if (key != null) {
          collectEvents(key);
        }
        requestDuePolls();
      }
    } catch (ClosedWatchServiceException e) {
      // close() was called.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      logger.error("Adapter file watcher failed, so the files are read at each poll only"
          + " directories={}", directories.values(), e);
    }
  }

  /** Waits for the next events, at most until the earliest pending request is due. */
  private WatchKey nextKey() throws InterruptedException {
    if (dueNanosByFile.isEmpty()) {
      return service.take();
    }
    long wait = Collections.min(dueNanosByFile.values()) - System.nanoTime();
    return service.poll(Math.max(0, wait), TimeUnit.NANOSECONDS);
  }

  private void collectEvents(WatchKey key) {
    Path directory = directories.get(key);
    for (WatchEvent<?> event : key.pollEvents()) {
      if (event.kind() == OVERFLOW) {
        // Events were lost, so any file of the directory may have changed.
        logger.debug("Adapter file events lost path={}", directory);
        instanceIdsByFile.keySet().stream()
            .filter(file -> directory.equals(file.getParent()))
            .forEach(this::markDue);
      } else if (event.context() instanceof Path name) {
        Path file = directory.resolve(name);
        if (instanceIdsByFile.containsKey(file)) {
          markDue(file);
        }
      }
    }
    if (!key.reset()) {
      directories.remove(key);
      logger.warn("Adapter file directory no longer watched, so its files are read at each poll"
          + " only path={}. It was deleted, moved or unmounted; restart the agent to watch it"
          + " again", directory);
    }
  }

  /** Schedules the poll request of a file, unless one is already scheduled. */
  private void markDue(Path file) {
    dueNanosByFile.putIfAbsent(file, System.nanoTime() + debounceNanos);
  }

  private void requestDuePolls() {
    long now = System.nanoTime();
    Iterator<Map.Entry<Path, Long>> due = dueNanosByFile.entrySet().iterator();
    while (due.hasNext()) {
      Map.Entry<Path, Long> entry = due.next();
      if (entry.getValue() - now <= 0) {
        due.remove();
        requestPolls(entry.getKey());
      }
    }
  }

  private void requestPolls(Path file) {
    List<String> instanceIds = instanceIdsByFile.get(file);
    logger.debug("Adapter file changed path={} instance_ids={}", file, instanceIds);
    for (String instanceId : instanceIds) {
      try {
        pollSoon.accept(instanceId);
      } catch (RuntimeException e) {
        logFailure(file, instanceId, e);
      }
    }
  }

  /** Logs a failed poll request at most once per {@link #FAILURE_LOG_INTERVAL} and file. */
  private void logFailure(Path file, String instanceId, RuntimeException e) {
    long now = System.nanoTime();
    Long last = lastFailureLogNanos.get(file);
    if (last != null && now - last < FAILURE_LOG_INTERVAL.toNanos()) {
      suppressedFailures.merge(file, 1, Integer::sum);
      return;
    }
    int suppressed = Objects.requireNonNullElse(suppressedFailures.remove(file), 0);
    lastFailureLogNanos.put(file, now);
    logger.warn("Poll after an adapter file change failed to start path={} instance_id={}"
        + " suppressed_since_last_log={}", file, instanceId, suppressed, e);
  }

  /** Stops watching and waits briefly for the watcher's thread to end. */
  @Override
  public void close() {
    if (service == null || !closed.compareAndSet(false, true)) {
      return;
    }
    try {
      service.close();
      thread.join(STOP_TIMEOUT.toMillis());
    } catch (IOException e) {
      logger.warn("Failed to close the adapter file watch service error=\"{}\"", describe(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    logger.info("Adapter file watcher stopped");
  }

  /** Returns whether the watcher's thread runs, for tests. */
  boolean running() {
    return thread.isAlive();
  }
}
