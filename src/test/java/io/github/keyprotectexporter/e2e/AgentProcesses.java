package io.github.keyprotectexporter.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.TestInfo;

/**
 * Starts the processes of one test and kills them all at the end. Their output stays in
 * {@code target/e2e-logs/<class>/<test>/} for reading after a failure.
 */
final class AgentProcesses implements AutoCloseable {

  private final Path logDir;
  private final List<AgentProcess> started = new ArrayList<>();

  AgentProcesses(TestInfo test) {
    String className = test.getTestClass().map(AgentProcesses::nestedName).orElse("unknown");
    String methodName = test.getTestMethod().map(m -> m.getName()).orElse("unknown");
    logDir = AgentProcess.exporterJar().resolveSibling("e2e-logs").resolve(className)
        .resolve(methodName);
    try {
      Files.createDirectories(logDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Returns {@code CliIT.Once} for a nested class, the simple name for a top-level one. */
  private static String nestedName(Class<?> type) {
    String name = type.getName();
    return name.substring(name.lastIndexOf('.') + 1).replace('$', '.');
  }

  /** Starts the jar with {@code args}; {@code name} names its log files. */
  AgentProcess start(String name, Map<String, String> env, String... args) {
    AgentProcess process = AgentProcess.start(logDir, name, env, List.of(args));
    started.add(process);
    return process;
  }

  AgentProcess start(String name, String... args) {
    return start(name, Map.of(), args);
  }

  /**
   * Returns the last process started under {@code name}.
   *
   * @throws IllegalArgumentException when none was
   */
  AgentProcess started(String name) {
    for (int i = started.size() - 1; i >= 0; i--) {
      if (started.get(i).name().equals(name)) {
        return started.get(i);
      }
    }
    throw new IllegalArgumentException("No process named " + name + " was started");
  }

  @Override
  public void close() {
    started.forEach(AgentProcess::close);
  }
}
