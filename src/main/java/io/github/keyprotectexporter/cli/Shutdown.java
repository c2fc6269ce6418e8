package io.github.keyprotectexporter.cli;

import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Keeps a long-running command alive until SIGTERM or Ctrl-C, then closes its resources. */
final class Shutdown {

  private static final Logger logger = LoggerFactory.getLogger(Shutdown.class);

  private Shutdown() {}

  /**
   * Blocks until the JVM is asked to stop, closing {@code resources} in order when it is. The
   * process then exits with 0, because a requested stop is a clean one, not the 143 that the JVM
   * reports for SIGTERM.
   */
  static void awaitStop(AutoCloseable... resources) throws InterruptedException {
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      logger.info("Stop requested, shutting down");
      for (AutoCloseable resource : resources) {
        try {
          resource.close();
        } catch (Exception e) {
          logger.warn("Failed to close {} during shutdown", resource.getClass().getSimpleName(), e);
        }
      }
      stopped.countDown();
      Runtime.getRuntime().halt(ExitCodes.OK);
    }, "shutdown"));
    stopped.await();
  }
}
