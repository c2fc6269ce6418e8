package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool that some checks need. CI installs it, so there a missing tool fails the
 * test; elsewhere the test is skipped with the install command.
 */
final class ExternalTool {

  private ExternalTool() {}

  /**
   * Returns the tool's path from {@code PATH}.
   *
   * @param install the command that installs the tool, shown when it is missing
   */
  static Path require(String name, String install) {
    Optional<Path> found = find(name);
    if (found.isPresent()) {
      return found.get();
    }
    String message = name + " is not installed. Install it with '" + install + "'";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + " (CI=true, so this check may not be skipped)");
    }
    Assumptions.abort(message + "; skipped outside CI");
    throw new AssertionError("unreachable");
  }

  private static Optional<Path> find(String name) {
    String path = System.getenv().getOrDefault("PATH", "");
    return Stream.of(path.split(File.pathSeparator))
        .filter(dir -> !dir.isEmpty())
        .map(dir -> Path.of(dir, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** The exit code of a tool and what it printed, standard error merged into standard output. */
  record Result(int exitCode, String output) {}

  /**
   * Runs {@code command} in {@code dir}, writes {@code input} to its standard input and waits
   * for it to exit. The bound only keeps a hung tool from hanging the build.
   */
  static Result run(Path dir, String input, List<String> command)
      throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command)
        .directory(dir.toFile())
        .redirectErrorStream(true)
        .start();
    try (OutputStream stdin = process.getOutputStream()) {
      stdin.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.destroyForcibly();
      fail(command + " did not exit within 2 minutes. Output:\n" + output);
    }
    return new Result(process.exitValue(), output);
  }
}
