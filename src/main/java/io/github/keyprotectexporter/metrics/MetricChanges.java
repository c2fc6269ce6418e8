package io.github.keyprotectexporter.metrics;

import java.time.Instant;

/**
 * Tells a scrape cache when the output of some metric families may change, so it can serve a
 * cached rendering of those families until then. Families that {@link #tracks} rejects change on
 * their own and have to be rendered on every scrape.
 */
public interface MetricChanges {

  /** Tracks nothing, so every family is rendered on every scrape. */
  MetricChanges NONE =
      new MetricChanges() {
        @Override
        public long generation() {
          return 0;
        }

        @Override
        public Instant nextTimedChange(Instant now) {
          return null;
        }

        @Override
        public boolean tracks(String prometheusName) {
          return false;
        }
      };

  /**
   * Returns a number that changes after every update of a tracked family. Two equal readings mean
   * that no update happened in between, apart from the timed changes of {@link #nextTimedChange}.
   */
  long generation();

  /**
   * Returns the earliest time after {@code now} at which a tracked family changes without an
   * update, such as crypto units that become stale, or null when there is none.
   */
  Instant nextTimedChange(Instant now);

  /** Returns whether {@link #generation} covers the family with this Prometheus name. */
  boolean tracks(String prometheusName);

  /**
   * Returns the changes of the families that move on nearly every poll, which a scrape cache keeps
   * apart so that a poll renders only them again. They must be disjoint from the families that
   * {@link #tracks} accepts. The default, {@link #NONE}, tracks nothing.
   */
  default MetricChanges perPoll() {
    return NONE;
  }
}
