package io.github.keyprotectexporter.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Reads and checks the {@code source} section of an instance. Absent means the API. */
final class SourceConfigReader {

  static final List<String> TYPES = List.of("api", "file", "command");
  static final List<String> FILE_KEYS = List.of("type", "path", "instance_id");
  static final List<String> COMMAND_KEYS =
      List.of("type", "argv", "timeout", "env", "max_output", "instance_id");

  static final long MIN_OUTPUT_BYTES = 1024;
  static final long MAX_OUTPUT_BYTES = 64L * 1024 * 1024;

  private SourceConfigReader() {}

  /** Returns the source, or empty after recording an error. */
  static Optional<SourceConfig> read(ConfigNode source) {
    if (!source.isMapping(List.of("type"))) {
      return Optional.of(ApiSourceConfig.INSTANCE);
    }
    Optional<String> type = readType(source.get("type"));
    if (type.isEmpty()) {
      return Optional.empty();
    }
    return switch (type.get()) {
      case "file" -> readFile(source);
      case "command" -> readCommand(source);
      default -> {
        source.allowOnlyKeys(List.of("type"));
        yield Optional.of(ApiSourceConfig.INSTANCE);
      }
    };
  }

  private static Optional<String> readType(ConfigNode node) {
    if (node.isAbsent()) {
      node.error("missing. Set it to one of " + String.join(", ", TYPES));
      return Optional.empty();
    }
    Optional<String> type = node.text("one of " + String.join(", ", TYPES));
    if (type.isPresent() && !TYPES.contains(type.get())) {
      node.error(Echo.quote(type.get()) + " is not a source type. Use one of "
          + String.join(", ", TYPES));
      return Optional.empty();
    }
    return type;
  }

  private static Optional<SourceConfig> readFile(ConfigNode source) {
    source.allowOnlyKeys(FILE_KEYS);
    Optional<Path> path = readPath(source.get("path"));
    Optional<String> instanceId = readInstanceId(source.get("instance_id"));
    if (path.isEmpty() || instanceId == null) {
      return Optional.empty();
    }
    return Optional.of(new FileSourceConfig(path.get(), instanceId.orElse(null)));
  }

  private static Optional<SourceConfig> readCommand(ConfigNode source) {
    source.allowOnlyKeys(COMMAND_KEYS);
    Optional<List<String>> argv = readArgv(source.get("argv"));
    Optional<Duration> timeout = readTimeout(source.get("timeout"));
    Optional<Map<String, String>> environment = readEnvironment(source.get("env"));
    Optional<Long> maxOutput = readMaxOutput(source.get("max_output"));
    Optional<String> instanceId = readInstanceId(source.get("instance_id"));
    if (argv.isEmpty() || timeout == null || environment.isEmpty() || maxOutput.isEmpty()
        || instanceId == null) {
      return Optional.empty();
    }
    return Optional.of(new CommandSourceConfig(argv.get(), timeout.orElse(null),
        environment.get(), maxOutput.get(), instanceId.orElse(null)));
  }

  private static Optional<Path> readPath(ConfigNode node) {
    if (node.isAbsent()) {
      node.error("missing. Give the path of the adapter file, such as"
          + " /var/lib/keyprotect-adapter/units.json");
      return Optional.empty();
    }
    Optional<String> text = node.text("the path of the adapter file");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.get().isBlank()) {
      node.error("is empty. Give the path of the adapter file");
      return Optional.empty();
    }
    try {
      return Optional.of(Path.of(text.get()));
    } catch (InvalidPathException e) {
      node.error(Echo.quote(text.get()) + " is not a valid path: " + e.getReason());
      return Optional.empty();
    }
  }

  /** Returns the id, empty when absent, or null after an error. */
  private static Optional<String> readInstanceId(ConfigNode node) {
    if (node.isAbsent()) {
      return Optional.empty();
    }
    Optional<String> id = node.text("the instance id under which the source lists the units");
    if (id.isEmpty() || id.get().isBlank()) {
      if (id.isPresent()) {
        node.error("is empty. Remove it to use the instance's own id");
      }
      return null;
    }
    return id;
  }

  private static Optional<List<String>> readArgv(ConfigNode node) {
    String expected = "a list with the program and its arguments, such as"
        + " [/usr/local/bin/kp-units, --instance, ID]";
    if (node.isAbsent()) {
      node.error("missing. Give " + expected);
      return Optional.empty();
    }
    if (!node.isList()) {
      node.error("expected " + expected + ". The command runs without a shell, so split the"
          + " command line into its words");
      return Optional.empty();
    }
    List<ConfigNode> elements = node.elements(expected);
    if (elements.isEmpty()) {
      node.error("the list is empty. Give at least the program");
      return Optional.empty();
    }
    List<String> argv = new ArrayList<>();
    for (ConfigNode element : elements) {
      element.scalar("a program argument").ifPresent(argv::add);
    }
    if (argv.size() < elements.size()) {
      return Optional.empty();
    }
    if (argv.get(0).isBlank()) {
      elements.get(0).error("the program is empty. Give its path");
      return Optional.empty();
    }
    return Optional.of(argv);
  }

  /** Returns the timeout, empty when absent, or null after an error. */
  private static Optional<Duration> readTimeout(ConfigNode node) {
    if (node.isAbsent()) {
      return Optional.empty();
    }
    Optional<Duration> timeout = node.duration(Duration.ZERO);
    if (timeout.isEmpty()) {
      return null;
    }
    if (timeout.get().isZero()) {
      node.error("0s is not allowed. Give the time after which the command is killed, such as"
          + " 10s, or remove the key to use poll.timeout");
      return null;
    }
    return timeout;
  }

  private static Optional<Map<String, String>> readEnvironment(ConfigNode node) {
    Map<String, String> environment = new LinkedHashMap<>();
    if (!node.isMapping(List.of("NAME"))) {
      return node.isAbsentOrNull() ? Optional.of(environment) : Optional.empty();
    }
    boolean valid = true;
    for (String name : node.keys()) {
      ConfigNode value = node.get(name);
      Optional<String> template = readVariable(value, name);
      valid &= template.isPresent();
      template.ifPresent(text -> environment.put(name, text));
    }
    return valid ? Optional.of(environment) : Optional.empty();
  }

  private static Optional<String> readVariable(ConfigNode value, String name) {
    if (!EnvironmentTemplates.NAME.matcher(name).matches()) {
      value.error("is not a valid environment variable name. Use letters, digits and"
          + " underscores, not starting with a digit");
      return Optional.empty();
    }
    Optional<String> template = value.scalar("a value or a reference such as ${" + name + "}");
    if (template.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> problem = EnvironmentTemplates.problemWith(template.get());
    if (problem.isPresent()) {
      value.error(problem.get());
      return Optional.empty();
    }
    boolean literal = EnvironmentTemplates.references(template.get()).isEmpty();
    if (KeyNames.isInlineApiKey(name) && literal) {
      value.error("the API key must not be written into the configuration file, and its value"
          + " is not shown here. Write ${" + name + "} to pass the agent's own variable, and"
          + " revoke the key if the file was shared");
      return Optional.empty();
    }
    return template;
  }

  private static Optional<Long> readMaxOutput(ConfigNode node) {
    if (node.isAbsent()) {
      return Optional.of(CommandSourceConfig.DEFAULT_MAX_OUTPUT_BYTES);
    }
    Optional<String> text = node.scalar("a size such as " + ByteSizes.EXAMPLES);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    long bytes;
    try {
      bytes = ByteSizes.parse(text.get());
    } catch (IllegalArgumentException e) {
      node.error(e.getMessage());
      return Optional.empty();
    }
    if (bytes < MIN_OUTPUT_BYTES || bytes > MAX_OUTPUT_BYTES) {
      node.error(text.get() + " is out of range. Allowed: " + ByteSizes.format(MIN_OUTPUT_BYTES)
          + " to " + ByteSizes.format(MAX_OUTPUT_BYTES));
      return Optional.empty();
    }
    return Optional.of(bytes);
  }
}
