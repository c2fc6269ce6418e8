package io.github.keyprotectexporter.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a long-running command alive until SIGTERM or Ctrl-C, then closes its resources.
 *
 * <p>Install it before starting anything, so that a stop requested during start-up also closes
 * what has started by then and exits cleanly.
 */
final class Shutdown {

  /**
   * Maximum time the hook spends closing resources before it halts anyway. It covers the web
   * server's and the poller's 5-second grace periods with room to spare, and stays under the
   * default 30-second termination grace period of a Kubernetes pod, after which SIGKILL follows.
   */
  static final Duration STOP_BOUND = Duration.ofSeconds(20);

  private static final Logger logger = LoggerFactory.getLogger(Shutdown.class);

  /** Set when the program itself exits, whose exit code the hook must then keep. */
  private static volatile boolean exiting;

  private final List<AutoCloseable> resources = new ArrayList<>();
  private final CountDownLatch stopped = new CountDownLatch(1);

  private Shutdown() {}

  /**
   * Installs the shutdown hook. When the JVM is asked to stop from outside, the hook closes the
   * registered resources in reverse order of registration, like try-with-resources. It then exits
   * with 0, because a requested stop is a clean one, not the 143 that the JVM reports for SIGTERM.
   * It also exits with 0 after {@link #STOP_BOUND} when a resource has not finished closing by
   * then.
   */
  static Shutdown install() {
    Shutdown shutdown = new Shutdown();
    Runtime.getRuntime().addShutdownHook(new Thread(shutdown::stop, "shutdown"));
    return shutdown;
  }

  /** Registers a resource to close on stop, before those registered earlier. */
  synchronized void closeOnStop(AutoCloseable resource) {
    resources.add(resource);
  }

  /** Exits the JVM with {@code code}, which the shutdown hook then leaves unchanged. */
  static void exit(int code) {
    exiting = true;
    System.exit(code);
  }

  /** Blocks until the JVM is asked to stop. */
  void await() throws InterruptedException {
    stopped.await();
  }

  private void stop() {
    // Read once: the main thread may set it while this hook runs, once await() has returned.
    boolean requestedFromOutside = !exiting;
    if (requestedFromOutside) {
      logger.info("Stop requested, shutting down");
      startWatchdog();
    }
    List<AutoCloseable> toClose;
    synchronized (this) {
      toClose = new ArrayList<>(resources);
    }
    Collections.reverse(toClose);
    for (AutoCloseable resource : toClose) {
      try {
        resource.close();
      } catch (Exception e) {
        logger.warn("Failed to close {} during shutdown", resource.getClass().getSimpleName(), e);
      }
    }
    if (requestedFromOutside) {
      Runtime.getRuntime().halt(ExitCodes.OK);
    }
    stopped.countDown();
  }

  /** Halts the JVM if closing the resources takes longer than {@link #STOP_BOUND}. */
  private static void startWatchdog() {
    Thread watchdog = new Thread(() -> {
      try {
        Thread.sleep(STOP_BOUND.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      logger.warn("Shutdown did not finish within {} s, exiting anyway",
          STOP_BOUND.toSeconds());
      Runtime.getRuntime().halt(ExitCodes.OK);
    }, "shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

}
