package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.polling.Poller;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.AdapterFileWatcher;
import io.github.keyprotectexporter.sources.CryptoUnitSources;
import io.github.keyprotectexporter.sources.RoutingCryptoUnitSource;
import java.time.Clock;

/**
 * The part of the running agent that one config builds and a reload replaces: the sources with
 * their HTTP client and IAM token provider, the poller and the adapter-file watcher. The snapshot
 * store and the metrics outlive it.
 */
final class Pipeline {

  private final LoadedConfig loaded;
  private final RoutingCryptoUnitSource source;
  private Poller poller;
  private AdapterFileWatcher watcher;

  private Pipeline(LoadedConfig loaded, RoutingCryptoUnitSource source) {
    this.loaded = loaded;
    this.source = source;
  }

  /**
   * Creates the sources of a config without sending any request.
   *
   * @throws IllegalArgumentException when a source cannot be created, such as a command whose
   *     environment refers to an unset variable
   */
  static Pipeline create(LoadedConfig loaded, ExporterMetrics metrics, Clock clock) {
    RoutingCryptoUnitSource source = CryptoUnitSources.create(loaded.config(), loaded.apiKey(),
        metrics, clock, System.getenv());
    return new Pipeline(loaded, source);
  }

  LoadedConfig loaded() {
    return loaded;
  }

  /**
   * Starts watching adapter files and polling.
   *
   * @param previous the stopped pipeline that this one replaces, whose instances keep their state
   *     history, or null at start-up
   */
  void start(SnapshotStore store, ExporterMetrics metrics, Clock clock, Pipeline previous) {
    poller = new Poller(loaded.config().poll(), loaded.config().instances(), source, store,
        metrics, source.keyProbe(), metrics, clock);
    if (previous != null) {
      poller.continueFrom(previous.poller);
    }
    // Watching before the first poll means a change made while that poll runs is not missed.
    watcher = AdapterFileWatcher.start(loaded.config().instances(), poller::pollSoon);
    poller.start();
  }

  /** Stops watching adapter files and polling, waiting briefly for polls in flight. */
  void stopPolling() {
    if (watcher != null) {
      watcher.close();
    }
    if (poller != null) {
      poller.close();
    }
  }

  /** Releases the sources' HTTP client. Call it after {@link #stopPolling()}. */
  void closeSources() {
    source.close();
  }
}
