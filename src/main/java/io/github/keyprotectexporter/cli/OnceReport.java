package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import io.github.keyprotectexporter.sources.PrintableText;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/** Prints the result of polling every instance once: a table per instance and a verdict. */
final class OnceReport {

  private OnceReport() {}

  /**
   * Prints a summary line, then one block per instance.
   *
   * @return the combined status, whose exit code the command returns
   */
  static Verdict.Status print(List<InstanceSnapshot> snapshots, Instant now, PrintWriter out) {
    return print(snapshots, instanceId -> null, now, out);
  }

  /**
   * Prints a summary line, then one block per instance judged with its latest key-operation
   * probe.
   *
   * @param probes returns the latest probe of an instance id, or null when it has none
   * @return the combined status, whose exit code the command returns
   */
  static Verdict.Status print(List<InstanceSnapshot> snapshots,
      Function<String, ProbeSnapshot> probes, Instant now, PrintWriter out) {
    List<Verdict> verdicts = new ArrayList<>();
    for (InstanceSnapshot snapshot : snapshots) {
      verdicts.add(Verdict.of(snapshot, probes.apply(snapshot.instanceId()), now));
    }
    Verdict.Status worst = Verdict.worst(verdicts);
    // Monitoring systems that run plugins show the first line, so the summary comes first.
    out.printf("%s - %d instance(s) checked%s%n%n", worst, snapshots.size(), counts(verdicts));
    for (int i = 0; i < snapshots.size(); i++) {
      printInstance(snapshots.get(i), verdicts.get(i), out);
    }
    out.flush();
    return worst;
  }

  /** Returns how many instances have each status, such as {@code : 1 critical, 2 ok}. */
  private static String counts(List<Verdict> verdicts) {
    Map<Verdict.Status, Long> byStatus = new EnumMap<>(Verdict.Status.class);
    for (Verdict verdict : verdicts) {
      byStatus.merge(verdict.status(), 1L, Long::sum);
    }
    if (byStatus.isEmpty()) {
      return "";
    }
    List<String> parts = new ArrayList<>();
    for (Verdict.Status status : List.of(Verdict.Status.CRITICAL, Verdict.Status.UNKNOWN,
        Verdict.Status.WARNING, Verdict.Status.OK)) {
      if (byStatus.containsKey(status)) {
        parts.add(byStatus.get(status) + " " + status.name().toLowerCase(Locale.ROOT));
      }
    }
    return ": " + String.join(", ", parts);
  }

  private static void printInstance(InstanceSnapshot snapshot, Verdict verdict, PrintWriter out) {
    String name = snapshot.instance().name().isEmpty() ? "" : " " + snapshot.instance().name();
    out.printf("Instance %s%s (%s): %s%n", printable(snapshot.instanceId()), printable(name),
        printable(snapshot.instance().region()), verdict.status());
    for (String reason : verdict.reasons()) {
      out.printf("  - %s%n", printable(reason));
    }
    if (!snapshot.units().isEmpty()) {
      List<String> ids = snapshot.units().stream().map(unit -> printable(unit.id())).toList();
      int width = ids.stream().mapToInt(String::length).max().orElse(0);
      width = Math.max(width, "CRYPTO UNIT".length());
      boolean withCheckValues =
          snapshot.units().stream().anyMatch(unit -> unit.masterKeyCheckValueHash() != null);
      // The hash column appears only for sources that report check values, such as adapters.
      String row = withCheckValues
          ? "  %-" + width + "s  %-16s  %-7s  %s%n"
          : "  %-" + width + "s  %-16s  %s%s%n";
      out.printf(row, "CRYPTO UNIT", "STATE", "SERVING",
          withCheckValues ? "CHECK VALUE HASH" : "");
      for (int i = 0; i < ids.size(); i++) {
        UnitSnapshot unit = snapshot.units().get(i);
        out.printf(row, ids.get(i), unit.state().label(), unit.serving() ? "yes" : "no",
            withCheckValues ? checkValueHash(unit) : "");
      }
    }
    out.println();
  }

  private static String checkValueHash(UnitSnapshot unit) {
    return unit.masterKeyCheckValueHash() == null ? "-" : unit.masterKeyCheckValueHash();
  }

  /**
   * Escapes control and format characters, because an ESC sequence or a bidirectional override
   * from an API response or an error message could otherwise rewrite the operator's terminal.
   */
  private static String printable(String text) {
    return PrintableText.escape(text);
  }
}
