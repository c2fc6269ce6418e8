package io.github.keyprotectexporter.config;

import java.util.ArrayList;
import java.util.List;

/** Collects the errors and warnings found in one configuration source, so all are reported. */
final class Problems {

  private final String source;
  private final List<String> errors = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();

  Problems(String source) {
    this.source = source;
  }

  /** Records an error at a key path such as {@code instances[2].region}. */
  void error(String path, String message) {
    errors.add(line(path, message));
  }

  /** Records a warning: the value works, but an operator should look at it. */
  void warn(String path, String message) {
    warnings.add(line(path, message));
  }

  List<String> warnings() {
    return List.copyOf(warnings);
  }

  /** Raises a {@link ConfigException} with every error recorded so far, if there is any. */
  void throwIfAny() throws ConfigException {
    if (!errors.isEmpty()) {
      throw new ConfigException(errors);
    }
  }

  private String line(String path, String message) {
    return path.isEmpty() ? source + ": " + message : source + ": " + path + ": " + message;
  }
}
