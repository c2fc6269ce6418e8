package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigDescriber;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.http.ConfigReloader;
import io.github.keyprotectexporter.config.Shard;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.http.WebSecurity;
import io.github.keyprotectexporter.http.WebServer;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.polling.SnapshotStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running agent: the layers wired together, from the Key Protect source through the poller
 * and its snapshots to the metrics and the web server. {@link #reload(String)} replaces the
 * sources and the poller with those of a newly read config, while the web server, the store and
 * the metrics keep running.
 */
final class Agent implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(Agent.class);

  private final WebServer server;
  private final Reloader reloader;

  private Agent(WebServer server, Reloader reloader) {
    this.server = server;
    this.reloader = reloader;
  }

  /**
   * Starts serving and polling a config that is never reloaded: a reload reads {@code config}
   * again and so changes nothing.
   *
   * @param apiKey the API key, null when no instance reads the Key Protect API
   */
  static Agent start(ExporterConfig config, Secret apiKey, ListenAddress address, Clock clock) {
    return start(config, apiKey, address, WebSecurity.NONE, Shard.ALL, clock);
  }

  /**
   * Starts serving and polling a config that is never reloaded, with the endpoints protected as
   * {@code security} says, for {@code config} already reduced to the instances of {@code shard}.
   */
  static Agent start(ExporterConfig config, Secret apiKey, ListenAddress address,
      WebSecurity security, Shard shard, Clock clock) {
    LoadedConfig loaded = new LoadedConfig(config, apiKey);
    return start(loaded, () -> loaded, address, security, shard, clock);
  }

  /** Starts serving and polling all instances with unprotected endpoints; see the next method. */
  static Agent start(LoadedConfig initial, Reloader.ConfigSource configSource,
      ListenAddress address, Clock clock) {
    return start(initial, configSource, address, WebSecurity.NONE, Shard.ALL, clock);
  }

  /**
   * Starts serving and polling. The web server starts first, so that a port in use fails before
   * any request reaches the API.
   *
   * @param configSource reads the config again on each reload, reduced to the same shard
   * @param shard the shard whose instances {@code initial} holds, for its info metric
   * @throws IllegalStateException when the web server cannot listen on {@code address}
   * @throws IllegalArgumentException when a source cannot be created, such as a command whose
   *     environment refers to an unset variable
   */
  static Agent start(LoadedConfig initial, Reloader.ConfigSource configSource,
      ListenAddress address, WebSecurity security, Shard shard, Clock clock) {
    ExporterConfig config = initial.config();
    SnapshotStore store = new SnapshotStore(config.instances());
    ExporterMetrics metrics = ExporterMetrics.create(store, config.instances(), clock, shard);
    Reloader reloader = new Reloader(configSource, store, metrics, clock);
    WebServer server = WebServer.start(address, security, metrics.registry(), metrics, store,
        clock, () -> reloader.reload("POST /-/reload"));
    try {
      reloader.start(initial);
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
    logger.info("Agent started listen_address={} {}", server.address(),
        ConfigDescriber.describe(config));
    return new Agent(server, reloader);
  }

  int port() {
    return server.port();
  }

  /**
   * Reads the config again and applies it, or keeps the running one when the new one is invalid.
   * Reloads run one at a time. The listen address is a command-line option and never changes.
   *
   * @param trigger what asked for the reload, for the log
   */
  ConfigReloader.Result reload(String trigger) {
    return reloader.reload(trigger);
  }

  /**
   * Stops accepting scrapes and lets those in flight finish first, then stops watching adapter
   * files and polling, and releases the HTTP client.
   */
  @Override
  public void close() {
    server.close();
    reloader.close();
    logger.info("Agent stopped");
  }
}
