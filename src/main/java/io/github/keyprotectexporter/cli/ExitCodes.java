package io.github.keyprotectexporter.cli;

/** Process exit codes shared by the commands. */
final class ExitCodes {

  static final int OK = 0;
  /** A runtime failure after start-up, such as a failed health check. */
  static final int FAILURE = 1;
  /** Invalid configuration or command line, or a start-up error such as a port in use. */
  static final int USAGE = 2;

  private ExitCodes() {}
}
