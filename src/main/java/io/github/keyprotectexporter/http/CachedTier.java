package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.metrics.MetricChanges;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rendering, in one format, of the families that one {@link MetricChanges} tracks. It is
 * rendered again only when their generation moves or a timed change passes.
 */
final class CachedTier {

  private final PrometheusRegistry registry;
  private final MetricChanges changes;
  private final FormatWriter format;
  private final Clock clock;
  private final AtomicLong renders;
  private volatile Rendering rendering;

  /** Creates the tier, whose renders {@code renders} counts, together with other formats'. */
  CachedTier(
      PrometheusRegistry registry,
      MetricChanges changes,
      FormatWriter format,
      Clock clock,
      AtomicLong renders) {
    this.registry = registry;
    this.changes = changes;
    this.format = format;
    this.clock = clock;
    this.renders = renders;
  }

  boolean tracks(String prometheusName) {
    return changes.tracks(prometheusName);
  }

  /**
   * Returns the rendering of the tracked families at {@code now}, rendering them again when the
   * cached one is older than the current generation or past a timed change. Scrapes that find it
   * stale at the same time wait for one render and share it.
   */
  Rendering current(Instant now) {
    long generation = changes.generation();
    Rendering cached = rendering;
    if (cached != null && cached.currentFor(generation, now)) {
      return cached;
    }
    synchronized (this) {
      cached = rendering;
      if (cached != null && cached.currentFor(generation, now)) {
        return cached;
      }
      if (cached != null && stillCurrent(cached, generation, now)) {
        return cached;
      }
      cached = render();
      rendering = cached;
      return cached;
    }
  }

  /**
   * Returns true when a rendering past its timed change still shows the families at {@code now}.
   * Polls move the expiry of units forward without an update, so the timed change that the
   * rendering noted may no longer exist. The rendering is kept when no expiry of the current
   * snapshots falls between its render and {@code now}.
   */
  private boolean stillCurrent(Rendering cached, long generation, Instant now) {
    if (cached.generation() < generation) {
      return false;
    }
    Instant next = changes.nextTimedChange(cached.renderedAt());
    if (next != null && !now.isBefore(next)) {
      return false;
    }
    cached.extendUntil(next);
    return true;
  }

  private Rendering render() {
    // The generation, the time and the next timed change are all read before the registry, so an
    // update during the render leaves the rendering stale instead of hiding the update.
    long generation = changes.generation();
    Instant now = clock.instant();
    Instant validUntil = changes.nextTimedChange(now);
    Rendering rendered =
        format.renderEach(registry.scrape(changes::tracks), generation, now, validUntil);
    renders.incrementAndGet();
    return rendered;
  }
}
