package io.github.keyprotectexporter.cli;

import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point. Without a command name the agent runs ({@code run}), so that
 * {@code java -jar keyprotect-exporter.jar --config.file=...} works like other exporters.
 */
@Command(
    name = "keyprotect-exporter",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Exports crypto-unit states of IBM Dedicated Key Protect instances to Prometheus.",
    subcommands = {
      RunCommand.class,
      DemoCommand.class,
      SimulateCommand.class,
      OnceCommand.class,
      CheckConfigCommand.class,
      HealthcheckCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Main implements Runnable {

  static final String DEFAULT_LISTEN_ADDRESS = ":9795";
  static final String DEFAULT_CONFIG_FILE = "keyprotect-exporter.yml";

  private static final Logger logger = LoggerFactory.getLogger(Main.class);
  private static final Set<String> TOP_LEVEL_OPTIONS = Set.of("-h", "--help", "-V", "--version");

  public static void main(String[] args) {
    Shutdown.exit(execute(args));
  }

  /** Runs the command line and returns the exit code, without exiting the JVM. */
  public static int execute(String... args) {
    CommandLine commandLine = new CommandLine(new Main());
    commandLine.setCaseInsensitiveEnumValuesAllowed(true);
    commandLine.setParameterExceptionHandler(Main::invalidCommandLine);
    commandLine.setExecutionExceptionHandler(Main::unexpectedFailure);
    return commandLine.execute(withDefaultCommand(commandLine, args));
  }

  private static String[] withDefaultCommand(CommandLine commandLine, String[] args) {
    boolean startsWithCommand =
        args.length > 0 && commandLine.getSubcommands().containsKey(args[0]);
    boolean topLevelOption = args.length > 0 && TOP_LEVEL_OPTIONS.contains(args[0]);
    if (startsWithCommand || topLevelOption) {
      return args;
    }
    String[] withRun = new String[args.length + 1];
    withRun[0] = "run";
    System.arraycopy(args, 0, withRun, 1, args.length);
    return withRun;
  }

  private static int invalidCommandLine(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    command.getErr().println("Invalid command line: " + e.getMessage());
    command.getErr().println(
        "Run '" + command.getCommandSpec().qualifiedName() + " --help' for the options.");
    return ExitCodes.USAGE;
  }

  /**
   * Reports an exception that escaped a command as one line, keeping the stack trace for DEBUG.
   * The {@code once} command then exits 3, because a monitoring plugin that could not check must
   * report UNKNOWN.
   */
  private static int unexpectedFailure(
      Exception e, CommandLine command, CommandLine.ParseResult parseResult) {
    logger.debug("Command {} failed", command.getCommandName(), e);
    command.getErr().println("Failed: " + e);
    command.getErr().flush();
    return command.getCommand() instanceof OnceCommand
        ? Verdict.Status.UNKNOWN.exitCode()
        : ExitCodes.FAILURE;
  }

  @Override
  public void run() {
    // Unreachable: main() inserts "run" when no command is named.
    new CommandLine(this).usage(System.out);
  }
}
