package io.github.keyprotectexporter.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The rows of the README's metrics table, read from the project folder. */
final class ReadmeMetrics {

  private static final Pattern TABLE_ROW =
      Pattern.compile("^\\| `(keyprotect_[a-z_]+)` \\| (gauge|counter) \\| (.*?) \\|");

  /** One documented metric: its name and whether it carries the {@code instance_id} label. */
  record Row(String name, boolean perInstance) {}

  private ReadmeMetrics() {}

  static List<Row> rows() throws IOException {
    Path readme = AgentProcess.exporterJar().getParent().resolveSibling("README.md");
    List<Row> rows = new ArrayList<>();
    for (String line : Files.readAllLines(readme)) {
      Matcher row = TABLE_ROW.matcher(line);
      if (row.find()) {
        rows.add(new Row(row.group(1), row.group(3).contains("`instance_id`")));
      }
    }
    return rows;
  }
}
