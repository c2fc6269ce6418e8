package io.github.keyprotectexporter.cli;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

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
   *     no SIGHUP, or when the JVM keeps the signal for itself
   */
  static boolean handle(Runnable action) {
    try {
      Signal.handle(new Signal("HUP"), signal -> action.run());
      return true;
    } catch (IllegalArgumentException | UnsupportedOperationException e) {
      logger.warn("SIGHUP cannot reload the config on this platform, so use POST /-/reload"
          + " error=\"{}\"", e.getMessage());
      return false;
    }
  }
}
