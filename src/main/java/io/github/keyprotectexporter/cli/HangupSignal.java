package io.github.keyprotectexporter.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Runs an action on each SIGHUP, the usual request to reload a daemon's config. The JDK offers no
 * supported API for signals, so this uses {@code sun.misc.Signal} of the {@code jdk.unsupported}
 * module.
 */
final class HangupSignal {

  private static final Logger logger = LoggerFactory.getLogger(HangupSignal.class);

  private HangupSignal() {}

  /**
   * Installs {@code action} as the SIGHUP handler. The JVM runs it on a new thread for each signal.
   *
   * @return false, after logging a warning, where SIGHUP cannot be handled: on Windows, which has
   *     no SIGHUP, when the JVM keeps the signal for itself, or when the process inherited it as
   *     ignored
   */
  static boolean handle(Runnable action) {
    try {
      SignalHandler previous = Signal.handle(new Signal("HUP"), signal -> action.run());
      if (previous == SignalHandler.SIG_IGN) {
        // The JVM keeps a signal ignored that the parent process ignored, as nohup does.
        logger.warn("SIGHUP is ignored by this process, as under nohup, so it cannot reload the"
            + " config; use POST /-/reload or --config.watch, or start the agent without nohup");
        return false;
      }
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      logger.warn("SIGHUP cannot reload the config on this platform, so use POST /-/reload"
          + " error=\"{}\"", e.getMessage());
      return false;
    }
  }
}
