package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigException;
import java.io.PrintWriter;

/** Prints a start-up error as plain lines on stderr, without a stack trace, and returns exit 2. */
final class StartupFailure {

  private StartupFailure() {}

  static int report(PrintWriter err, String heading, ConfigException e) {
    err.println(heading + ":");
    for (String error : e.errors()) {
      err.println("  " + error);
    }
    err.flush();
    return ExitCodes.USAGE;
  }

  static int report(PrintWriter err, String message) {
    err.println(message);
    err.flush();
    return ExitCodes.USAGE;
  }
}
