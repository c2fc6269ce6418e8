package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The packaged jar running as a child process, with its standard output and standard error in
 * files. {@link #close()} kills the process and anything it started.
 */
final class AgentProcess implements AutoCloseable {

  /** Bound for start-up and exit waits; generous because the machine may be busy. */
  static final Duration PROCESS_BOUND = Duration.ofSeconds(90);

  private static final Pattern WEB_PORT =
      Pattern.compile("Web server listening address=\\S+ port=(\\d+)");
  private static final Pattern SIMULATOR_PORT =
      Pattern.compile("Simulator listening on http://127\\.0\\.0\\.1:(\\d+)");

  /** Variables that would change what the jar prints or which key it reads. */
  private static final List<String> CLEARED_VARIABLES = List.of("IBMCLOUD_API_KEY",
      "KEYPROTECT_LOG_LEVEL", "KEYPROTECT_WEB_CONFIG_FILE", "JAVA_TOOL_OPTIONS",
      "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");

  private final String name;
  private final Process process;
  private final Path stdoutFile;
  private final Path stderrFile;

  private AgentProcess(String name, Process process, Path stdoutFile, Path stderrFile) {
    this.name = name;
    this.process = process;
    this.stdoutFile = stdoutFile;
    this.stderrFile = stderrFile;
  }

  /** Returns true when this process ignores SIGHUP, as read from {@code /proc/self/status}. */
  private static boolean hangupIgnored() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("SigIgn:")) {
          long mask = Long.parseUnsignedLong(line.substring("SigIgn:".length()).strip(), 16);
          return (mask & 1L) != 0;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return false;
    }
    return false;
  }

  /**
   * Starts {@code java -jar <exporter.jar> args} with the inherited environment, less the
   * variables the agent reads, plus {@code env}.
   *
   * @param logDir folder for the {@code NAME.stdout} and {@code NAME.stderr} files
   */
  static AgentProcess start(Path logDir, String name, Map<String, String> env, List<String> args) {
    Path stdout = logDir.resolve(name + ".stdout");
    Path stderr = logDir.resolve(name + ".stderr");
    List<String> command = new ArrayList<>();
    if (hangupIgnored()) {
      // A build started under nohup passes an ignored SIGHUP down to every child, and the JVM
      // then cannot handle it; GNU env resets it, so reload tests see what a service manager gives.
      command.addAll(List.of("env", "--default-signal=HUP"));
    }
    command.addAll(List.of(javaExecutable().toString(),
        "-Xmx256m", "-XX:+UseSerialGC", "-jar", exporterJar().toString()));
    command.addAll(args);
    ProcessBuilder builder = new ProcessBuilder(command)
        .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
        .redirectOutput(stdout.toFile())
        .redirectError(stderr.toFile());
    CLEARED_VARIABLES.forEach(builder.environment()::remove);
    builder.environment().putAll(env);
    try {
      Files.writeString(logDir.resolve(name + ".command"), String.join(" ", command) + "\n");
      return new AgentProcess(name, builder.start(), stdout, stderr);
    } catch (IOException e) {
      throw new UncheckedIOException("Failed to start " + command, e);
    }
  }

  /** Returns the jar that failsafe passes in the system property {@code exporter.jar}. */
  static Path exporterJar() {
    String jar = System.getProperty("exporter.jar");
    if (jar == null || !Files.isRegularFile(Path.of(jar))) {
      fail("System property exporter.jar is " + jar + ", not the packaged jar. Run the end-to-end"
          + " tests with 'mvn verify', which builds the jar and sets the property");
    }
    return Path.of(jar);
  }

  private static Path javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java");
  }

  /** Returns the operating system's id of the agent's JVM, for {@code jcmd}. */
  long pid() {
    return process.pid();
  }

  /** Waits for the agent's web server and returns its port. */
  int webPort() {
    return awaitPort(WEB_PORT);
  }

  /** Waits for the simulator and returns its port. */
  int simulatorPort() {
    return awaitPort(SIMULATOR_PORT);
  }

  /** Waits until standard error contains {@code text}, failing early when the process exits. */
  void awaitStderr(String text) {
    awaitOutput(() -> stderr().contains(text), "'" + text + "' on standard error");
  }

  private int awaitPort(Pattern logLine) {
    awaitOutput(() -> logLine.matcher(stderr()).find(), "a line matching " + logLine);
    Matcher matcher = logLine.matcher(stderr());
    matcher.find();
    return Integer.parseInt(matcher.group(1));
  }

  private void awaitOutput(Callable<Boolean> found, String description) {
    await(name + " prints " + description)
        .atMost(PROCESS_BOUND)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> found.call() || !process.isAlive());
    try {
      if (!found.call()) {
        fail(name + " exited with " + process.exitValue() + " before it printed " + description
            + describeOutput());
      }
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Waits for the process to exit and returns its exit code. The bound only keeps a hung process
   * from hanging the build; it is not a claim about speed.
   */
  int awaitExit() {
    try {
      if (!process.waitFor(PROCESS_BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
        fail(name + " did not exit within " + PROCESS_BOUND + describeOutput());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return process.exitValue();
  }

  /** Sends SIGTERM, as a container runtime or systemd does on stop. */
  void terminate() {
    process.destroy();
  }

  /** Sends SIGHUP, which asks the agent to reload its config, with the {@code kill} command. */
  void hangUp() {
    try {
      Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(process.pid()))
          .redirectErrorStream(true)
          .start();
      if (!kill.waitFor(PROCESS_BOUND.toMillis(), TimeUnit.MILLISECONDS) || kill.exitValue() != 0) {
        fail("kill -HUP " + process.pid() + " failed: "
            + new String(kill.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  String name() {
    return name;
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Returns the live processes this process started, which should be none. */
  List<ProcessHandle> descendants() {
    return process.descendants().filter(ProcessHandle::isAlive).toList();
  }

  String stdout() {
    return read(stdoutFile);
  }

  String stderr() {
    return read(stderrFile);
  }

  /** Returns both outputs, for a failure message. */
  String describeOutput() {
    return "\n--- stdout of " + name + " ---\n" + stdout() + "\n--- stderr of " + name + " ---\n"
        + stderr();
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Kills the process tree, children first, and waits for it to go. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(PROCESS_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
