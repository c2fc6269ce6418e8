package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.http.ConfigReloader;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.polling.SnapshotStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owns the agent's current {@link Pipeline} and replaces it when the config is reloaded, one
 * reload at a time. A config that fails to load or to build its sources leaves the running
 * pipeline untouched.
 *
 * <p>A reload that changes anything stops the old poller (waiting up to its shutdown grace for
 * polls in flight), switches the store and the counters to the new instance list, and starts a new
 * poller that continues the state history of every instance it keeps. Every instance is then
 * polled at once, and the new sources fetch a new IAM token.
 */
final class Reloader {

  /** Reads the config anew for each reload. */
  @FunctionalInterface
  interface ConfigSource {
    LoadedConfig read() throws ConfigException;
  }

  private static final Logger logger = LoggerFactory.getLogger(Reloader.class);

  private final ConfigSource configSource;
  private final SnapshotStore store;
  private final ExporterMetrics metrics;
  private final Clock clock;
  private Pipeline pipeline;
  private boolean closed;

  Reloader(ConfigSource configSource, SnapshotStore store, ExporterMetrics metrics, Clock clock) {
    this.configSource = configSource;
    this.store = store;
    this.metrics = metrics;
    this.clock = clock;
  }

  /**
   * Starts the first pipeline.
   *
   * @throws IllegalArgumentException when a source cannot be created
   */
  synchronized void start(LoadedConfig initial) {
    pipeline = Pipeline.create(initial, metrics, clock);
    pipeline.start(store, metrics, clock, null);
  }

  /**
   * Reads the config again and applies it, or keeps the running one and logs every error.
   *
   * @param trigger what asked for the reload, for the log, such as {@code SIGHUP}
   */
  synchronized ConfigReloader.Result reload(String trigger) {
    if (closed || pipeline == null) {
      return failed(trigger, List.of("the agent is stopping, so the config was not reloaded"));
    }
    LoadedConfig current = pipeline.loaded();
    LoadedConfig next;
    try {
      next = configSource.read();
    } catch (ConfigException e) {
      return failed(trigger, e.errors());
    } catch (RuntimeException e) {
      return failed(trigger, List.of("reading the config failed: " + e.getMessage()));
    }
    if (next.sameAs(current)) {
      logger.info("Configuration reloaded, nothing changed trigger={}", trigger);
      metrics.configReload().succeeded(clock.instant());
      return ConfigReloader.Result.success();
    }
    Pipeline replacement;
    try {
      replacement = Pipeline.create(next, metrics, clock);
    } catch (IllegalArgumentException e) {
      return failed(trigger, List.of(next.mask(e.getMessage())));
    }
    switchTo(replacement);
    logChanges(trigger, current, next);
    metrics.configReload().succeeded(clock.instant());
    return ConfigReloader.Result.success();
  }

  private void switchTo(Pipeline replacement) {
    Pipeline previous = pipeline;
    // Polls of the previous pipeline must end before the store and the counters drop removed
    // instances, or a late result would bring their series back.
    // NOTE: a poll that still runs after the poller's 5-second grace and interrupt can still add
    // a failure count for a removed instance, or fail to store its snapshot.
    previous.stopPolling();
    List<InstanceConfig> instances = replacement.loaded().config().instances();
    store.reconfigure(instances);
    metrics.instancesChanged(instances);
    replacement.start(store, metrics, clock, previous);
    pipeline = replacement;
    previous.closeSources();
  }

  private ConfigReloader.Result failed(String trigger, List<String> errors) {
    List<String> masked = new ArrayList<>(errors.size());
    for (String error : errors) {
      String line = pipeline == null ? error : pipeline.loaded().mask(error);
      masked.add(line);
      logger.error("Configuration reload failed, the previous configuration keeps running"
          + " trigger={} error=\"{}\"", trigger, line);
    }
    metrics.configReload().failed();
    return new ConfigReloader.Result(masked);
  }

  private static void logChanges(String trigger, LoadedConfig before, LoadedConfig after) {
    Map<String, InstanceConfig> old = byId(before.config().instances());
    Map<String, InstanceConfig> current = byId(after.config().instances());
    List<String> added = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    current.forEach((id, instance) -> {
      InstanceConfig previous = old.get(id);
      if (previous == null) {
        added.add(id);
      } else if (!previous.equals(instance)) {
        changed.add(id);
      }
    });
    List<String> removed = new ArrayList<>(old.keySet());
    removed.removeAll(current.keySet());
    logger.info("Configuration reloaded trigger={} instances={} added={} removed={} changed={}"
        + " poll_settings_changed={} iam_settings_changed={} api_key_changed={}",
        trigger, current.size(), added, removed, changed,
        !before.config().poll().equals(after.config().poll()),
        !before.config().iam().equals(after.config().iam()), before.apiKeyChanged(after));
  }

  private static Map<String, InstanceConfig> byId(List<InstanceConfig> instances) {
    Map<String, InstanceConfig> result = new LinkedHashMap<>();
    for (InstanceConfig instance : instances) {
      result.putIfAbsent(instance.id(), instance);
    }
    return result;
  }

  /** Stops the running pipeline once any reload in progress has ended. Later reloads fail. */
  synchronized void close() {
    closed = true;
    if (pipeline != null) {
      pipeline.stopPolling();
      pipeline.closeSources();
    }
  }
}
