package io.github.keyprotectexporter.metrics;

import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;

/** Builds gauge data points for the collectors that turn snapshots into metrics. */
final class GaugePoints {

  private GaugePoints() {}

  /** Returns a data point with {@code value} and labels given as name, value, name, value. */
  static GaugeDataPointSnapshot of(double value, String... labelNamesAndValues) {
    return GaugeDataPointSnapshot.builder()
        .value(value)
        .labels(Labels.of(labelNamesAndValues))
        .build();
  }
}
