package io.github.keyprotectexporter.metrics;

import io.github.keyprotectexporter.polling.SnapshotStore;
import java.time.Instant;
import java.util.function.LongSupplier;

/**
 * The changes of {@link ExporterMetrics#PER_POLL_FAMILIES}. Its generation moves on every snapshot
 * update, probe and counted API request. None of these families reads the clock, so they have no
 * timed change.
 */
final class PerPollChanges implements MetricChanges {

  private final SnapshotStore store;
  private final LongSupplier requestUpdates;

  /** Creates the changes, where {@code requestUpdates} returns how often requests were counted. */
  PerPollChanges(SnapshotStore store, LongSupplier requestUpdates) {
    this.store = store;
    this.requestUpdates = requestUpdates;
  }

  @Override
  public long generation() {
    return store.allUpdates() + requestUpdates.getAsLong();
  }

  @Override
  public Instant nextTimedChange(Instant now) {
    return null;
  }

  @Override
  public boolean tracks(String prometheusName) {
    return ExporterMetrics.PER_POLL_FAMILIES.contains(prometheusName);
  }
}
