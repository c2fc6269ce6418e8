package io.github.keyprotectexporter.config;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reads the crypto units from the standard output of a program, run without a shell.
 *
 * @param argv the program and its arguments, at least the program
 * @param timeout time after which the program and its child processes are killed, or null for
 *     {@code poll.timeout}
 * @param environment the only variables the program gets, by name. A value may refer to a
 *     variable of the agent's environment as {@code ${NAME}}, resolved when the agent starts.
 * @param maxOutputBytes maximum size of the standard output
 * @param documentInstanceId the instance id under which the output lists the units, or null when
 *     it is the configured instance id
 */
public record CommandSourceConfig(
    List<String> argv,
    Duration timeout,
    Map<String, String> environment,
    long maxOutputBytes,
    String documentInstanceId)
    implements SourceConfig {

  /** Default of {@code max_output}: 1 MiB, far more than a list of crypto units needs. */
  public static final long DEFAULT_MAX_OUTPUT_BYTES = 1024 * 1024;

  public CommandSourceConfig {
    argv = List.copyOf(argv);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("argv needs at least the program");
    }
    // A copy that keeps the configured order, which the start-up log shows.
    environment =
        Collections.unmodifiableMap(
            new LinkedHashMap<>(Objects.requireNonNull(environment, "environment")));
  }

  @Override
  public String type() {
    return "command";
  }
}
