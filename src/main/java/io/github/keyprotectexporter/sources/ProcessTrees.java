package io.github.keyprotectexporter.sources;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Kills a process together with the processes it started. */
final class ProcessTrees {

  private static final Duration EXIT_WAIT = Duration.ofSeconds(5);

  private ProcessTrees() {}

  /**
   * Kills {@code process} and its descendants with SIGKILL (or the platform's equivalent) and waits
   * briefly for the process to exit. The descendants are listed before the process dies, because
   * afterwards they belong to another parent and are no longer found.
   *
   * <p>NOTE: a child started between the listing and the kill survives. Java cannot kill a process
   * group, so this gap stays.
   */
  static void kill(Process process) {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    for (ProcessHandle descendant : descendants) {
      descendant.descendants().forEach(ProcessHandle::destroyForcibly);
      descendant.destroyForcibly();
    }
    try {
      process.onExit().get(EXIT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // SIGKILL cannot be ignored; a process that has not exited yet will do so shortly.
    }
  }
}
