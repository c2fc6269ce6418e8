package io.github.keyprotectexporter.metrics;

import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.Unit;
import java.time.Instant;

/**
 * The outcome of the latest config reload, under the names Prometheus uses for its own reloads.
 * Start-up counts as a successful load, so both gauges have a value before the first reload.
 */
public final class ConfigReloadMetrics {

  public static final String LAST_RELOAD_SUCCESSFUL = "keyprotect_config_last_reload_successful";
  public static final String LAST_RELOAD_SUCCESS_TIMESTAMP =
      "keyprotect_config_last_reload_success_timestamp_seconds";

  private final Gauge successful;
  private final Gauge successTimestamp;
  private final Runnable onChange;

  private ConfigReloadMetrics(Gauge successful, Gauge successTimestamp, Runnable onChange) {
    this.successful = successful;
    this.successTimestamp = successTimestamp;
    this.onChange = onChange;
  }

  /**
   * Registers both gauges, set as if the config had been loaded successfully at {@code now}.
   *
   * @param onChange runs after each update, so that a cached scrape renders the new values
   */
  static ConfigReloadMetrics register(PrometheusRegistry registry, Instant now, Runnable onChange) {
    Gauge successful =
        Gauge.builder()
            .name(LAST_RELOAD_SUCCESSFUL)
            .help("Whether the latest config reload succeeded (1) or failed (0). A failed reload"
                + " keeps the previous config running.")
            .register(registry);
    Gauge successTimestamp =
        Gauge.builder()
            .name(LAST_RELOAD_SUCCESS_TIMESTAMP)
            .help("Time of the latest successful config load, at start-up or by a reload.")
            .unit(Unit.SECONDS)
            .register(registry);
    ConfigReloadMetrics metrics = new ConfigReloadMetrics(successful, successTimestamp, onChange);
    metrics.succeeded(now);
    return metrics;
  }

  /** Records a successful reload at {@code now}. */
  public void succeeded(Instant now) {
    successful.set(1);
    successTimestamp.set(now.toEpochMilli() / 1000.0);
    onChange.run();
  }

  /** Records a failed reload. The success timestamp keeps the time of the last success. */
  public void failed() {
    successful.set(0);
    onChange.run();
  }
}
