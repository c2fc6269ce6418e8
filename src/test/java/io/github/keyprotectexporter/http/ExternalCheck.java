package io.github.keyprotectexporter.http;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the external parsers that check exposition output: {@code promtool check metrics} for
 * the text format, and the OpenMetrics parser of the Python prometheus_client package. A missing
 * tool skips the test, unless the environment variable CI is true, where it fails it.
 */
final class ExternalCheck {

  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  static final Path PYTHON = Path.of("/usr/bin/python3");

  /** Prints the {@code value} label of every sample of one counter, each followed by NUL. */
  private static final String OPENMETRICS_SCRIPT =
      """
      import sys
      from prometheus_client.openmetrics.parser import text_string_to_metric_families
      family = sys.argv[1]
      text = sys.stdin.buffer.read().decode("utf-8")
      for metric in text_string_to_metric_families(text):
          for sample in metric.samples:
              if metric.name == family and sample.name == family + "_total":
                  sys.stdout.buffer.write(sample.labels["value"].encode("utf-8") + b"\\0")
      """;

  /** Exit code and combined output of a finished check. */
  record Result(int exitCode, String output) {

    /** Splits output made of values that each end with a NUL character. */
    List<String> nulTerminatedValues() {
      if (output.isEmpty()) {
        return List.of();
      }
      List<String> values = new ArrayList<>(Arrays.asList(output.split("\u0000", -1)));
      values.remove(values.size() - 1);
      return values;
    }
  }

  private ExternalCheck() {}

  static Result promtoolCheckMetrics(byte[] text) {
    requireTool(PROMTOOL, "apt-get install prometheus", List.of(PROMTOOL.toString(), "--version"));
    return run(List.of(PROMTOOL.toString(), "check", "metrics"), text);
  }

  static Result openMetricsLabelValues(byte[] openMetrics, String family) {
    requireTool(
        PYTHON,
        "apt-get install python3-prometheus-client",
        List.of(PYTHON.toString(), "-c", "import prometheus_client.openmetrics.parser"));
    return run(List.of(PYTHON.toString(), "-c", OPENMETRICS_SCRIPT, family), openMetrics);
  }

  private static void requireTool(Path executable, String install, List<String> probe) {
    boolean present = Files.isExecutable(executable) && run(probe, new byte[0]).exitCode() == 0;
    if (present) {
      return;
    }
    String message = String.join(" ", probe) + " failed. Install it with: apt-get update && "
        + "DEBIAN_FRONTEND=noninteractive " + install;
    if ("true".equals(System.getenv("CI"))) {
      throw new AssertionError(message);
    }
    assumeTrue(false, "Skipped: " + message);
  }

  private static Result run(List<String> command, byte[] stdin) {
    try {
      ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
      builder.environment().put("PYTHONIOENCODING", "utf-8");
      Process process = builder.start();
      try (OutputStream in = process.getOutputStream()) {
        in.write(stdin);
      }
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(command.get(0) + " did not exit within 60 seconds");
      }
      return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
