package io.github.keyprotectexporter.alerting;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Reads the Grafana dashboards shipped in {@code dashboards/}. */
public final class Dashboards {

  public static final Path DIRECTORY = Path.of("dashboards");

  private static final ObjectMapper JSON = new ObjectMapper();

  private Dashboards() {}

  /** A dashboard file with its parsed JSON. */
  public record Dashboard(Path file, JsonNode json) {

    public String uid() {
      return json.path("uid").asText();
    }

    /** Returns every panel that shows data, including those nested in collapsed rows. */
    public List<JsonNode> panels() {
      List<JsonNode> panels = new ArrayList<>();
      collect(json.path("panels"), panels);
      return panels;
    }

    /** Returns every query of every panel. */
    public List<PanelQuery> queries() {
      List<PanelQuery> queries = new ArrayList<>();
      for (JsonNode panel : panels()) {
        for (JsonNode target : panel.path("targets")) {
          queries.add(new PanelQuery(file.getFileName() + " / " + panel.path("title").asText()
              + " / " + target.path("refId").asText(), target.path("expr").asText()));
        }
      }
      return queries;
    }

    private static void collect(JsonNode panels, List<JsonNode> into) {
      for (JsonNode panel : panels) {
        if (panel.path("type").asText().equals("row")) {
          collect(panel.path("panels"), into);
        } else {
          into.add(panel);
        }
      }
    }
  }

  /** One PromQL query of a panel, named dashboard file / panel title / refId. */
  public record PanelQuery(String name, String expr) {

    @Override
    public String toString() {
      return name;
    }
  }

  public static List<Dashboard> all() {
    try (Stream<Path> files = Files.list(DIRECTORY)) {
      return files.filter(file -> file.toString().endsWith(".json")).sorted()
          .map(Dashboards::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot list " + DIRECTORY, e);
    }
  }

  public static List<PanelQuery> allQueries() {
    return all().stream().flatMap(dashboard -> dashboard.queries().stream()).toList();
  }

  private static Dashboard read(Path file) {
    try {
      return new Dashboard(file, JSON.readTree(file.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot read " + file, e);
    }
  }
}
