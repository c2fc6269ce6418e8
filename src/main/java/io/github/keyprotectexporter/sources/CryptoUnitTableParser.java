package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.model.CryptoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses the table that {@code ibmcloud kp crypto-units} prints: a header line with the columns
 * {@code Id}, {@code InstanceID} and {@code State}, in any order and spacing, then one line per
 * unit. Column names are matched ignoring case. The optional columns {@code MasterKeyCheckValue}
 * and {@code Location} are read too, and other columns are ignored.
 *
 * <p>Lines before the header, such as the CLI's {@code Retrieving...} and {@code OK}, and blank
 * lines are skipped. A row is split at white space when it has as many fields as the header has
 * columns, and otherwise cut at the header's column positions. Rows of other instances are
 * skipped.
 */
final class CryptoUnitTableParser {

  private static final String ID = "id";
  private static final String INSTANCE_ID = "instanceid";
  private static final String STATE = "state";
  private static final String CHECK_VALUE = "masterkeycheckvalue";
  private static final String LOCATION = "location";
  private static final int MAX_OTHER_INSTANCES_LISTED = 3;

  /** One column of the header: its lower-case name and where it starts. */
  private record Column(String name, int start) {}

  private CryptoUnitTableParser() {}

  /**
   * Returns the units of {@code instanceId} listed in {@code text}, possibly none when the table
   * has a header and no row.
   *
   * @throws PollException with {@link PollErrorReason#BAD_OUTPUT} when there is no header, a row
   *     cannot be split into the header's columns, a unit id repeats, or rows exist but none is
   *     of the instance
   */
  static List<CryptoUnit> parse(String text, String instanceId, String sourceName)
      throws PollException {
    List<String> lines = text.lines().map(CryptoUnitTableParser::withoutCarriageReturn).toList();
    int headerIndex = findHeader(lines);
    if (headerIndex < 0) {
      // The lines are not quoted, because a row may contain a master-key check value.
      long nonBlank = lines.stream().filter(line -> !line.isBlank()).count();
      throw badOutput(sourceName, "no header line with the columns Id, InstanceID and State"
          + " among " + nonBlank + " non-blank lines. Print the table of ibmcloud kp crypto-units"
          + " with its header, or the adapter or API JSON");
    }
    List<Column> columns = columns(lines.get(headerIndex));
    List<CryptoUnit> units = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> otherInstances = new HashSet<>();
    for (int index = headerIndex + 1; index < lines.size(); index++) {
      String line = lines.get(index);
      if (line.isBlank()) {
        continue;
      }
      Map<String, String> row = split(line, columns, index + 1, sourceName);
      if (!row.get(INSTANCE_ID).equalsIgnoreCase(instanceId)) {
        otherInstances.add(row.get(INSTANCE_ID));
        continue;
      }
      if (PrintableText.containsUnsafe(row.get(ID))) {
        throw badOutput(sourceName, "line " + (index + 1) + ": unit id \""
            + Excerpt.of(PrintableText.escape(row.get(ID)), 80)
            + "\" contains control or format characters");
      }
      if (!ids.add(row.get(ID))) {
        throw badOutput(sourceName, "line " + (index + 1) + ": unit " + Excerpt.of(row.get(ID), 80)
            + " is listed twice");
      }
      units.add(CryptoUnit.of(row.get(ID), row.get(STATE), row.get(CHECK_VALUE),
          row.get(LOCATION)));
      if (units.size() > CryptoUnitsParser.MAX_UNITS) {
        throw badOutput(sourceName, "line " + (index + 1) + ": more than the maximum of "
            + CryptoUnitsParser.MAX_UNITS + " crypto units per instance; a Dedicated instance"
            + " has 2 or 3");
      }
    }
    if (units.isEmpty() && !otherInstances.isEmpty()) {
      throw badOutput(sourceName, "the table lists units of other instances only ("
          + String.join(", ", otherInstances.stream().sorted()
              .limit(MAX_OTHER_INSTANCES_LISTED).map(id -> Excerpt.of(id, 80)).toList())
          + "), none of " + instanceId + ". Check the command's instance argument or"
          + " source.instance_id");
    }
    return List.copyOf(units);
  }

  private static String withoutCarriageReturn(String line) {
    return line.replace("\r", "");
  }

  private static int findHeader(List<String> lines) {
    for (int index = 0; index < lines.size(); index++) {
      Set<String> names = new HashSet<>();
      for (String word : lines.get(index).strip().split("\\s+")) {
        names.add(word.toLowerCase(Locale.ROOT));
      }
      if (names.containsAll(List.of(ID, INSTANCE_ID, STATE))) {
        return index;
      }
    }
    return -1;
  }

  private static List<Column> columns(String header) {
    List<Column> columns = new ArrayList<>();
    int position = 0;
    while (position < header.length()) {
      if (Character.isWhitespace(header.charAt(position))) {
        position++;
        continue;
      }
      int end = position;
      while (end < header.length() && !Character.isWhitespace(header.charAt(end))) {
        end++;
      }
      columns.add(new Column(header.substring(position, end).toLowerCase(Locale.ROOT), position));
      position = end;
    }
    return columns;
  }

  /** Returns the row's values by lower-case column name; absent optional columns map to null. */
  private static Map<String, String> split(String line, List<Column> columns, int lineNumber,
      String sourceName) throws PollException {
    String[] words = line.strip().split("\\s+");
    List<String> values = words.length == columns.size()
        ? List.of(words)
        : cutAtColumns(line, columns, lineNumber, sourceName);
    Map<String, String> row = new HashMap<>();
    for (int i = 0; i < columns.size(); i++) {
      row.putIfAbsent(columns.get(i).name(), values.get(i).isEmpty() ? null : values.get(i));
    }
    for (String required : List.of(ID, INSTANCE_ID, STATE)) {
      if (row.get(required) == null) {
        throw badOutput(sourceName, "line " + lineNumber + ": the " + displayName(required)
            + " column is empty");
      }
    }
    return row;
  }

  private static List<String> cutAtColumns(String line, List<Column> columns, int lineNumber,
      String sourceName) throws PollException {
    List<String> values = new ArrayList<>(columns.size());
    for (int i = 0; i < columns.size(); i++) {
      int start = columns.get(i).start();
      int end = i + 1 < columns.size() ? columns.get(i + 1).start() : line.length();
      if (start >= line.length()) {
        // Trailing columns left empty: the required ones are reported by the caller.
        values.add("");
        continue;
      }
      if (start > 0 && !Character.isWhitespace(line.charAt(start - 1))) {
        throw badOutput(sourceName, "line " + lineNumber + ": has " + line.strip().split("\\s+")
            .length + " fields, and they do not line up with the " + columns.size()
            + " columns of the header. Print one field per column, separated by spaces");
      }
      values.add(line.substring(start, Math.min(end, line.length())).strip());
    }
    return values;
  }

  private static String displayName(String column) {
    return switch (column) {
      case INSTANCE_ID -> "InstanceID";
      case STATE -> "State";
      default -> "Id";
    };
  }

  private static PollException badOutput(String sourceName, String message) {
    return new PollException(PollErrorReason.BAD_OUTPUT, sourceName + ": " + message);
  }
}
