package io.github.keyprotectexporter.http;

import io.prometheus.metrics.expositionformats.generated.com_google_protobuf_4_36_2.Metrics;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Parses the delimited protobuf exposition format back with the client library's own classes. */
final class ProtobufFamilies {

  private ProtobufFamilies() {}

  /** Returns the {@code value} label of every sample of the family {@code name}. */
  static List<String> labelValues(byte[] delimited, String name) throws IOException {
    List<String> values = new ArrayList<>();
    ByteArrayInputStream in = new ByteArrayInputStream(delimited);
    Metrics.MetricFamily family;
    while ((family = Metrics.MetricFamily.parseDelimitedFrom(in)) != null) {
      if (!family.getName().equals(name + "_total") && !family.getName().equals(name)) {
        continue;
      }
      for (Metrics.Metric metric : family.getMetricList()) {
        for (Metrics.LabelPair label : metric.getLabelList()) {
          if (label.getName().equals("value")) {
            values.add(label.getValue());
          }
        }
      }
    }
    return values;
  }
}
