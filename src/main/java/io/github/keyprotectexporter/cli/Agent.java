package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigDescriber;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.http.WebServer;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.polling.Poller;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.AdapterFileWatcher;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import io.github.keyprotectexporter.sources.CryptoUnitSources;
import io.github.keyprotectexporter.sources.RoutingCryptoUnitSource;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: the layers wired together, from the Key Protect source through the poller
 * and its snapshots to the metrics and the web server.
 */
final class Agent implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(Agent.class);

  private final WebServer server;
  private final Poller poller;
  private final AdapterFileWatcher watcher;
  private final CryptoUnitSource source;

  private Agent(WebServer server, Poller poller, AdapterFileWatcher watcher,
      CryptoUnitSource source) {
    this.server = server;
    this.poller = poller;
    this.watcher = watcher;
    this.source = source;
  }

  /**
   * Starts serving and polling. The web server starts first, so that a port in use fails before
   * any request reaches the API.
   *
   * @param apiKey the API key, null when no instance reads the Key Protect API
   * @throws IllegalStateException when the web server cannot listen on {@code address}
   * @throws IllegalArgumentException when a source cannot be created, such as a command whose
   *     environment refers to an unset variable
   */
  static Agent start(ExporterConfig config, Secret apiKey, ListenAddress address, Clock clock) {
    SnapshotStore store = new SnapshotStore(config.instances());
    ExporterMetrics metrics = ExporterMetrics.create(store, config.instances(), clock);
    WebServer server = WebServer.start(address, metrics.registry(), metrics, store, clock);
    RoutingCryptoUnitSource source;
    try {
      source = CryptoUnitSources.create(config, apiKey, metrics, clock, System.getenv());
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    Poller poller =
        new Poller(config.poll(), config.instances(), source, store, metrics,
            source.keyProbe(), metrics, clock);
    logger.info("Agent started listen_address={} {}", server.address(),
        ConfigDescriber.describe(config));
    // Watching before the first poll means a change made while that poll runs is not missed.
    AdapterFileWatcher watcher = AdapterFileWatcher.start(config.instances(), poller::pollSoon);
    poller.start();
    return new Agent(server, poller, watcher, source);
  }

  int port() {
    return server.port();
  }

  /**
   * Stops accepting scrapes first, then stops watching adapter files and polling, and releases the
   * HTTP client.
   */
  @Override
  public void close() {
    server.close();
    watcher.close();
    poller.close();
    source.close();
    logger.info("Agent stopped");
  }
}
