package io.github.keyprotectexporter.config;

import static io.github.keyprotectexporter.config.Configs.ID_A;
import static io.github.keyprotectexporter.config.Configs.errorsOf;
import static io.github.keyprotectexporter.config.Configs.onlyErrorOf;
import static io.github.keyprotectexporter.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Checks of {@code instances[].source}, each through the whole loader. */
class SourceConfigTest {

  /** Returns a config with one instance whose source section is given as YAML lines. */
  private static String withSource(String sourceKeys) {
    return """
        iam:
          url: http://127.0.0.1:9/identity/token
        instances:
          - id: %s
            region: us-south
            source:
        %s""".formatted(ID_A, sourceKeys.indent(6));
  }

  private static SourceConfig onlySource(String sourceKeys) throws ConfigException {
    return parse(withSource(sourceKeys)).instances().get(0).source();
  }

  @Test
  void apiIsDefault() throws Exception {
    ExporterConfig config = parse(Configs.LOCAL_IAM_AND_INSTANCE);

    assertThat(config.instances().get(0).source()).isEqualTo(ApiSourceConfig.INSTANCE);
  }

  @Test
  void explicitApiType() throws Exception {
    assertThat(onlySource("type: api")).isEqualTo(ApiSourceConfig.INSTANCE);
  }

  @Test
  void unknownTypeIsRejected() {
    assertThat(onlyErrorOf(withSource("type: http")))
        .isEqualTo("instances[0].source.type: \"http\" is not a source type."
            + " Use one of api, file, command");
  }

  @Test
  void missingTypeIsRejected() {
    assertThat(onlyErrorOf(withSource("path: /tmp/units.json")))
        .isEqualTo("instances[0].source.type: missing. Set it to one of api, file, command");
  }

  @Nested
  class File {

    @Test
    void readsPathAndInstanceId() throws Exception {
      SourceConfig source = onlySource("""
          type: file
          path: /var/lib/adapter/units.json
          instance_id: hsm-group-1""");

      assertThat(source)
          .isEqualTo(new FileSourceConfig(Path.of("/var/lib/adapter/units.json"), "hsm-group-1"));
    }

    @Test
    void pathIsRequired() {
      assertThat(onlyErrorOf(withSource("type: file")))
          .startsWith("instances[0].source.path: missing. Give the path of the adapter file");
    }

    @Test
    void commandKeysAreRejected() {
      assertThat(onlyErrorOf(withSource("type: file\npath: /tmp/u.json\nargv: [x]")))
          .startsWith("instances[0].source.argv: unknown key. Valid keys under"
              + " instances[0].source: type, path, instance_id");
    }
  }

  @Nested
  class Command {

    @Test
    void readsEveryKey() throws Exception {
      SourceConfig source = onlySource("""
          type: command
          argv: [/usr/local/bin/kp-units, --instance, 42]
          timeout: 5s
          env: {HOME: /tmp, KEY: "${IBMCLOUD_API_KEY}"}
          max_output: 64KiB
          instance_id: abc""");

      CommandSourceConfig command = (CommandSourceConfig) source;
      assertThat(command.argv()).containsExactly("/usr/local/bin/kp-units", "--instance", "42");
      assertThat(command.timeout()).isEqualTo(Duration.ofSeconds(5));
      assertThat(command.environment())
          .containsExactly(Map.entry("HOME", "/tmp"), Map.entry("KEY", "${IBMCLOUD_API_KEY}"));
      assertThat(command.maxOutputBytes()).isEqualTo(64 * 1024);
      assertThat(command.documentInstanceId()).isEqualTo("abc");
    }

    @Test
    void defaultsApply() throws Exception {
      CommandSourceConfig command =
          (CommandSourceConfig) onlySource("type: command\nargv: [/bin/true]");

      assertThat(command.timeout()).isNull();
      assertThat(command.environment()).isEmpty();
      assertThat(command.maxOutputBytes()).isEqualTo(1024 * 1024);
      assertThat(command.documentInstanceId()).isNull();
    }

    @Test
    void commandLineStringIsRejected() {
      assertThat(onlyErrorOf(withSource("type: command\nargv: /bin/kp units")))
          .contains("instances[0].source.argv: expected a list with the program and its")
          .contains("split the command line into its words");
    }

    @Test
    void emptyArgvIsRejected() {
      assertThat(onlyErrorOf(withSource("type: command\nargv: []")))
          .isEqualTo("instances[0].source.argv: the list is empty. Give at least the program");
    }

    @Test
    void nestedArgumentIsRejected() {
      assertThat(onlyErrorOf(withSource("type: command\nargv: [/bin/x, [a]]")))
          .isEqualTo("instances[0].source.argv[1]: expected a program argument, found a list");
    }

    @Test
    void unclosedReferenceIsRejected() {
      assertThat(onlyErrorOf(withSource("type: command\nargv: [/bin/x]\nenv: {A: \"${B\"}")))
          .isEqualTo("instances[0].source.env.A: ${ is not closed. Write ${NAME}");
    }

    @Test
    void literalApiKeyIsRejectedUnshown() {
      String error = onlyErrorOf(withSource(
          "type: command\nargv: [/bin/x]\nenv: {IBMCLOUD_API_KEY: s3cr3tValue}"));

      assertThat(error)
          .startsWith("instances[0].source.env.IBMCLOUD_API_KEY: the API key must not");
      assertThat(error).contains("${IBMCLOUD_API_KEY}").doesNotContain("s3cr3tValue");
    }

    @Test
    void sizeOutOfRangeIsRejected() {
      assertThat(onlyErrorOf(withSource("type: command\nargv: [/bin/x]\nmax_output: 100")))
          .isEqualTo("instances[0].source.max_output: 100 is out of range. Allowed: 1KiB to 64MiB");
    }

    @Test
    void badSizeIsRejected() {
      assertThat(onlyErrorOf(withSource("type: command\nargv: [/bin/x]\nmax_output: 1 GB")))
          .startsWith("instances[0].source.max_output: \"1 GB\" is not a size.");
    }

    @Test
    void everyErrorIsReported() {
      assertThat(errorsOf(withSource("type: command\nargv: []\ntimeout: 0s\nmax_output: x")))
          .hasSize(3);
    }

    @Test
    void describerHidesArgumentsAndValues() throws Exception {
      InstanceConfig instance = parse(withSource("""
          type: command
          argv: [/bin/kp, --apikey, hunter2]
          env: {TOKEN: hunter3}""")).instances().get(0);

      String description = ConfigDescriber.describe(instance);

      assertThat(description)
          .endsWith(" source=command program=\"/bin/kp\" arguments=2 timeout=poll.timeout"
              + " env=TOKEN max_output=1MiB");
      assertThat(description).doesNotContain("hunter");
    }
  }

  @Nested
  class Templates {

    @Test
    void resolvesReferences() {
      assertThat(EnvironmentTemplates.resolve("a-${X}-$HOME-${Y}", Map.of("X", "1", "Y", "$2")))
          .isEqualTo("a-1-$HOME-$2");
    }

    @Test
    void unsetVariableIsNamed() {
      assertThatThrownBy(() -> EnvironmentTemplates.resolve("${MISSING}", Map.of()))
          .hasMessageStartingWith("environment variable MISSING is not set");
    }

    @Test
    void badNameIsReported() {
      assertThat(EnvironmentTemplates.problemWith("${1A}"))
          .hasValue("${1A} is not a variable reference. Write ${NAME} with a name of letters,"
              + " digits and underscores");
    }
  }
}
