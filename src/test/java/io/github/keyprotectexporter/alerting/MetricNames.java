package io.github.keyprotectexporter.alerting;

import io.github.keyprotectexporter.alerting.RuleFiles.RecordingRule;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the exporter's metric names in PromQL text: every name that starts with
 * {@code keyprotect_} (exported) or {@code keyprotect:} (recorded). Alert names start with an
 * upper-case K and label names never carry the prefix, so neither is picked up.
 */
public final class MetricNames {

  private static final Pattern NAME = Pattern.compile("\\bkeyprotect[_:][a-zA-Z0-9_:]*");

  private MetricNames() {}

  public static Set<String> in(String promql) {
    Set<String> names = new TreeSet<>();
    Matcher matcher = NAME.matcher(promql);
    while (matcher.find()) {
      names.add(matcher.group());
    }
    return names;
  }

  /**
   * Returns the exported metrics behind {@code promql}, replacing each recorded name by the
   * names its recording rule reads.
   */
  public static Set<String> exportedBehind(String promql) {
    Set<String> exported = new TreeSet<>();
    for (String name : in(promql)) {
      if (!name.contains(":")) {
        exported.add(name);
        continue;
      }
      RecordingRule rule = RuleFiles.recordingRules().stream()
          .filter(candidate -> candidate.record().equals(name))
          .findFirst()
          .orElseThrow(() -> new IllegalArgumentException("No recording rule defines " + name));
      exported.addAll(exportedBehind(rule.expr()));
    }
    return exported;
  }
}
