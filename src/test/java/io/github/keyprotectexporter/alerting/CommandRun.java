package io.github.keyprotectexporter.alerting;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The exit code and combined output of a finished command, such as {@code promtool test rules}.
 *
 * <pre>{@code
 * CommandRun run = CommandRun.of(Path.of("."), "promtool", "check", "rules", "x.yml");
 * assertThat(run.exitCode()).as(run.output()).isZero();
 * }</pre>
 */
public record CommandRun(List<String> command, int exitCode, String output) {

  /** Upper bound for a check command; promtool and amtool finish in well under a second. */
  private static final long TIMEOUT_MINUTES = 5;

  /** Runs {@code command} in {@code directory} and waits for it to end. */
  public static CommandRun of(Path directory, Object... command) {
    List<String> words = new ArrayList<>();
    for (Object word : command) {
      words.add(word.toString());
    }
    ProcessBuilder builder = new ProcessBuilder(words).directory(directory.toFile());
    builder.redirectErrorStream(true);
    try {
      Process process = builder.start();
      process.getOutputStream().close();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
        process.destroyForcibly();
        throw new IllegalStateException(words + " did not end within " + TIMEOUT_MINUTES + " min");
      }
      return new CommandRun(words, process.exitValue(), new String(output, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot run " + words, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while running " + words, e);
    }
  }

  /** Returns the command and its output, as a description for a failed assertion. */
  public String describe() {
    return String.join(" ", command) + " exited with " + exitCode + ":\n" + output;
  }
}
