package io.github.keyprotectexporter.e2e;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The samples of a Prometheus text-format (0.0.4) exposition, for assertions. */
final class MetricsText {

  /** One sample line: metric name, labels and value. */
  record Sample(String name, Map<String, String> labels, double value) {

    boolean hasLabels(Map<String, String> expected) {
      return labels.entrySet().containsAll(expected.entrySet());
    }
  }

  private final List<Sample> samples;

  private MetricsText(List<Sample> samples) {
    this.samples = samples;
  }

  static MetricsText parse(String text) {
    List<Sample> samples = new ArrayList<>();
    for (String line : text.split("\n")) {
      if (!line.isBlank() && !line.startsWith("#")) {
        samples.add(parseLine(line));
      }
    }
    return new MetricsText(samples);
  }

  /** Returns the samples named {@code name} whose labels include {@code labels}. */
  List<Sample> samples(String name, Map<String, String> labels) {
    return samples.stream()
        .filter(sample -> sample.name().equals(name) && sample.hasLabels(labels))
        .toList();
  }

  /** Returns the sum of the matching samples, 0 when none matches. */
  double sum(String name, Map<String, String> labels) {
    return samples(name, labels).stream().mapToDouble(Sample::value).sum();
  }

  /**
   * Returns the value of the one matching sample.
   *
   * @throws IllegalStateException when no sample or more than one matches
   */
  double value(String name, Map<String, String> labels) {
    List<Sample> matching = samples(name, labels);
    if (matching.size() != 1) {
      throw new IllegalStateException(
          matching.size() + " samples of " + name + " match " + labels + ", expected 1");
    }
    return matching.get(0).value();
  }

  private static Sample parseLine(String line) {
    int labelsStart = line.indexOf('{');
    int nameEnd = labelsStart >= 0 ? labelsStart : line.indexOf(' ');
    String name = line.substring(0, nameEnd);
    Map<String, String> labels = new LinkedHashMap<>();
    int position = nameEnd;
    if (labelsStart >= 0) {
      position = parseLabels(line, labelsStart + 1, labels);
    }
    String[] rest = line.substring(position).trim().split(" ");
    return new Sample(name, labels, Double.parseDouble(rest[0]));
  }

  /** Reads {@code name="value",...}} from {@code start} and returns the index after the brace. */
  private static int parseLabels(String line, int start, Map<String, String> labels) {
    int i = start;
    while (line.charAt(i) != '}') {
      int equals = line.indexOf('=', i);
      String labelName = line.substring(i, equals);
      StringBuilder value = new StringBuilder();
      i = equals + 2;
      while (line.charAt(i) != '"') {
        char c = line.charAt(i);
        if (c == '\\') {
          i++;
          c = line.charAt(i) == 'n' ? '\n' : line.charAt(i);
        }
        value.append(c);
        i++;
      }
      labels.put(labelName, value.toString());
      i++;
      if (line.charAt(i) == ',') {
        i++;
      }
    }
    return i + 1;
  }
}
