package io.github.keyprotectexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.List;

/** Parses test YAML and returns the config or its errors. */
final class Configs {

  static final String SOURCE = "test.yaml";
  static final String ID_A = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  static final String ID_B = "0a1b2c3d-4e5f-4a6b-8c7d-00000000cafe";

  /** An iam section and one instance, all aimed at the loopback interface. */
  static final String LOCAL_IAM_AND_INSTANCE =
      """
      iam:
        url: http://127.0.0.1:9/identity/token
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          region: us-south
          endpoint: http://127.0.0.1:9
      """;

  private Configs() {}

  static ExporterConfig parse(String yaml) throws ConfigException {
    return new ConfigLoader().parse(yaml, SOURCE);
  }

  static ConfigException exceptionOf(String yaml) {
    ConfigException e = catchThrowableOfType(ConfigException.class, () -> parse(yaml));
    assertThat(e).as("ConfigException for:%n%s", yaml).isNotNull();
    return e;
  }

  static List<String> errorsOf(String yaml) {
    return exceptionOf(yaml).errors();
  }

  /** Returns the single error of the YAML, without the source prefix. */
  static String onlyErrorOf(String yaml) {
    List<String> errors = errorsOf(yaml);
    assertThat(errors).hasSize(1);
    assertThat(errors.get(0)).startsWith(SOURCE + ": ");
    return errors.get(0).substring(SOURCE.length() + 2);
  }
}
