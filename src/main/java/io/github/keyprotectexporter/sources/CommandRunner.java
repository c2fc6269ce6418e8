package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;

/**
 * Runs a program without a shell, with only the given environment variables, a timeout and a cap
 * on its standard output. Standard input is closed at once. Each failure has its own reason, and
 * its message ends with the first line of the program's standard error, masked.
 */
final class CommandRunner {

  /** Maximum bytes of standard error kept; only its first line is used. */
  static final int MAX_STDERR_BYTES = 64 * 1024;

  private static final Duration STDERR_WAIT = Duration.ofSeconds(1);

  /**
   * The output of a program that exited with status 0.
   *
   * @param stdout the standard output, at most the configured maximum
   * @param stderrFirstLine the first non-blank line of standard error, masked, or empty
   */
  record Result(byte[] stdout, String stderrFirstLine) {}

  private final List<String> argv;
  private final Map<String, String> environment;
  private final Duration timeout;
  private final long maxOutputBytes;
  private final UnaryOperator<String> mask;

  /**
   * Creates a runner.
   *
   * @param mask applied to standard error before any of it reaches a message
   */
  CommandRunner(List<String> argv, Map<String, String> environment, Duration timeout,
      long maxOutputBytes, UnaryOperator<String> mask) {
    this.argv = List.copyOf(argv);
    this.environment = Map.copyOf(environment);
    this.timeout = timeout;
    this.maxOutputBytes = maxOutputBytes;
    this.mask = text -> CredentialPatterns.mask(mask.apply(text));
  }

  String program() {
    return argv.get(0);
  }

  /**
   * Runs the program once and returns its output.
   *
   * @throws PollException with {@link PollErrorReason#COMMAND_FAILED} when it cannot start, exits
   *     with another status than 0 or the agent stops meanwhile, {@link
   *     PollErrorReason#COMMAND_TIMEOUT} when it runs longer than the timeout, and {@link
   *     PollErrorReason#OUTPUT_TOO_LARGE} when it prints more than the maximum. The process and
   *     its child processes are killed in the last two cases.
   */
  Result run() throws PollException {
    long deadline = System.nanoTime() + timeout.toNanos();
    Process process = start();
    BoundedCapture stdout =
        BoundedCapture.start(process.getInputStream(), maxOutputBytes, "command-stdout");
    BoundedCapture stderr =
        BoundedCapture.start(process.getErrorStream(), MAX_STDERR_BYTES, "command-stderr");
    try {
      CompletableFuture.anyOf(process.onExit(), stdout.overflow())
          .get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
      if (stdout.overflowed()) {
        ProcessTrees.kill(process);
        throw tooLarge(stderr);
      }
      awaitOutputEnd(stdout, deadline, stderr);
    } catch (TimeoutException e) {
      ProcessTrees.kill(process);
      throw failure(PollErrorReason.COMMAND_TIMEOUT, "did not exit within "
          + Durations.format(timeout) + " and was killed with its child processes", stderr);
    } catch (InterruptedException e) {
      ProcessTrees.kill(process);
      Thread.currentThread().interrupt();
      throw failure(PollErrorReason.COMMAND_FAILED, "was killed because the agent is stopping",
          stderr);
    } catch (ExecutionException e) {
      throw new IllegalStateException("waiting for " + program() + " failed", e.getCause());
    }
    if (stdout.overflowed()) {
      throw tooLarge(stderr);
    }
    if (process.exitValue() != 0) {
      throw failure(PollErrorReason.COMMAND_FAILED, "exited with status " + process.exitValue(),
          stderr);
    }
    return new Result(stdout.bytes(), stderrFirstLine(stderr));
  }

  private Process start() throws PollException {
    ProcessBuilder builder = new ProcessBuilder(argv);
    builder.environment().clear();
    builder.environment().putAll(environment);
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      // The message names the program and the operating system's reason, never the environment.
      throw new PollException(PollErrorReason.COMMAND_FAILED, "command " + program()
          + " could not be started: " + Excerpt.of(mask.apply(String.valueOf(e.getMessage())))
          + ". Check the program path in source.argv and that the agent's user may run it");
    }
    try {
      process.getOutputStream().close();
    } catch (IOException e) {
      // A program that has already exited closed its end; it gets no input either way.
    }
    return process;
  }

  /**
   * Waits until the program's standard output ends, which happens after it exits unless a child
   * process still has the output open.
   *
   * <p>NOTE: when the program exits while no read is blocked, the JDK drains and closes the pipe
   * itself, so output that a child process prints after the program exited may be lost instead of
   * holding the poll until the timeout. Which of the two happens depends on timing.
   */
  private void awaitOutputEnd(BoundedCapture stdout, long deadline, BoundedCapture stderr)
      throws InterruptedException, ExecutionException, PollException {
    try {
      stdout.finished().get(remainingNanos(deadline), TimeUnit.NANOSECONDS);
      stderr.finished().get(STDERR_WAIT.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      // The child that keeps the output open is no longer a descendant, so it goes on running.
      if (!stdout.finished().isDone()) {
        throw failure(PollErrorReason.COMMAND_TIMEOUT, "exited, but a process it started kept"
            + " its standard output open for longer than " + Durations.format(timeout), stderr);
      }
    }
  }

  private PollException tooLarge(BoundedCapture stderr) {
    return failure(PollErrorReason.OUTPUT_TOO_LARGE, "printed more than " + maxOutputBytes
        + " bytes and was killed with its child processes. Raise source.max_output or print"
        + " less", stderr);
  }

  private PollException failure(PollErrorReason reason, String what, BoundedCapture stderr) {
    String firstLine = stderrFirstLine(stderr);
    String suffix = firstLine.isEmpty() ? "" : "; stderr: " + firstLine;
    return new PollException(reason, "command " + program() + " " + what + suffix);
  }

  private String stderrFirstLine(BoundedCapture stderr) {
    String text = new String(stderr.bytes(), StandardCharsets.UTF_8);
    String first = text.lines().filter(line -> !line.isBlank()).findFirst().orElse("");
    return Excerpt.of(mask.apply(first), 200);
  }

  private static long remainingNanos(long deadline) {
    return Math.max(0, deadline - System.nanoTime());
  }
}
