package io.github.keyprotectexporter.config;

import static io.github.keyprotectexporter.config.Configs.ID_A;
import static io.github.keyprotectexporter.config.Configs.ID_B;
import static io.github.keyprotectexporter.config.Configs.errorsOf;
import static io.github.keyprotectexporter.config.Configs.onlyErrorOf;
import static io.github.keyprotectexporter.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.keyprotectexporter.testing.NamedPipe;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {

  private static Path resource(String name) throws URISyntaxException {
    return Path.of(ConfigLoaderTest.class.getResource("/config/" + name).toURI());
  }

  @Nested
  class ValidFiles {

    @Test
    void minimalFileTakesDefaults() throws Exception {
      ExporterConfig config = new ConfigLoader().load(resource("minimal.yaml"));

      assertThat(config.poll()).isEqualTo(PollSettings.DEFAULTS);
      assertThat(config.iam())
          .isEqualTo(
              new IamSettings(IamSettings.DEFAULT_URL, IamSettings.DEFAULT_API_KEY_ENV, null));
      assertThat(config.instances()).hasSize(1);
      InstanceConfig instance = config.instances().get(0);
      assertThat(instance.id()).isEqualTo(ID_A);
      assertThat(instance.name()).isEmpty();
      assertThat(instance.region()).isEqualTo("us-south");
      assertThat(instance.privateEndpoint()).isFalse();
      assertThat(instance.endpoint())
          .isEqualTo(URI.create("https://" + ID_A + ".api.us-south.kms.appdomain.cloud"));
    }

    @Test
    void fullFileSetsEveryKey() throws Exception {
      ExporterConfig config = new ConfigLoader().load(resource("full.yaml"));

      assertThat(config.poll())
          .isEqualTo(
              new PollSettings(
                  Duration.ofMinutes(1),
                  Duration.ofSeconds(15),
                  Duration.ofMinutes(3),
                  Duration.ofSeconds(150),
                  4));
      assertThat(config.iam().url()).isEqualTo(URI.create("http://127.0.0.1:9/identity/token"));
      assertThat(config.iam().apiKeyEnv()).isNull();
      assertThat(config.iam().apiKeyFile()).isEqualTo(Path.of("/run/secrets/ibmcloud-api-key"));
      assertThat(config.instances())
          .containsExactly(
              new InstanceConfig(
                  ID_A, "payments-prod", "us-south", false, URI.create("http://127.0.0.1:9")),
              new InstanceConfig(ID_B, "", "eu-de", true, null));
    }

    @Test
    void exampleConfigIsValid() throws Exception {
      ExporterConfig config = new ConfigLoader().load(Path.of("examples/config.yaml"));

      assertThat(config.instances()).isNotEmpty();
      assertThat(config.iam().apiKeyEnv()).isEqualTo(IamSettings.DEFAULT_API_KEY_ENV);
      assertThat(config.instances().get(0).probe().enabled()).isTrue();
      assertThat(config.instances().get(1).probe().enabled()).isFalse();
    }

    @Test
    void emptySectionsTakeDefaults() throws Exception {
      ExporterConfig config =
          parse(
              """
              poll:
              iam:
              instances:
                - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
                  region: us-south
              """);

      assertThat(config.poll()).isEqualTo(PollSettings.DEFAULTS);
      assertThat(config.iam().url()).isEqualTo(IamSettings.DEFAULT_URL);
      assertThat(config.iam().apiKeyEnv()).isEqualTo(IamSettings.DEFAULT_API_KEY_ENV);
    }
  }

  @Nested
  class FileReading {

    @Test
    void missingFileNamesPath(@TempDir Path directory) {
      Path file = directory.resolve("absent.yaml");

      assertThatThrownBy(() -> new ConfigLoader().load(file))
          .isInstanceOf(ConfigException.class)
          .hasMessage(file + ": not found. Check the path of the configuration file");
    }

    @Test
    void directoryIsRejected(@TempDir Path directory) {
      assertThatThrownBy(() -> new ConfigLoader().load(directory))
          .hasMessage(directory + ": is a directory. Give the path of the YAML file");
    }

    @Test
    void namedPipeIsRejectedUnread(@TempDir Path directory) throws Exception {
      Path file = directory.resolve("pipe.yaml");

      try (NamedPipe pipe = NamedPipe.create(file, Files.readString(resource("minimal.yaml")))) {
        assertThatThrownBy(() -> new ConfigLoader().load(file))
            .hasMessage(file + ": is not a regular file, such as a named pipe or a device. Give"
                + " the path of the YAML file");
        assertThat(pipe.wasRead()).isFalse();
      }
    }

    @Test
    void deviceIsRejected() {
      Path device = Path.of("/dev/zero");
      assumeTrue(Files.exists(device), "/dev/zero exists only on Unix-like systems");

      assertThatThrownBy(() -> new ConfigLoader().load(device))
          .hasMessageContaining("is not a regular file");
    }

    @Test
    void fileThatIsNotUtf8IsRejected() throws Exception {
      Path file = resource("latin1.yaml");

      assertThatThrownBy(() -> new ConfigLoader().load(file))
          .hasMessage(file + ": not UTF-8 text. Save the file as UTF-8");
    }

    @Test
    void hugeFileIsRejected(@TempDir Path directory) throws Exception {
      Path file = directory.resolve("huge.yaml");
      Files.write(file, new byte[ConfigLoader.MAX_FILE_BYTES + 1]);

      assertThatThrownBy(() -> new ConfigLoader().load(file))
          .hasMessageStartingWith(file + ": larger than 1048576 bytes");
    }

    @Test
    void errorsStartWithFileName() throws Exception {
      Path file = resource("many-errors.yaml");

      assertThatThrownBy(() -> new ConfigLoader().load(file))
          .isInstanceOfSatisfying(
              ConfigException.class,
              e ->
                  assertThat(e.errors())
                      .allSatisfy(error -> assertThat(error).startsWith(file + ": ")));
    }
  }

  @Nested
  class Syntax {

    @Test
    void aliasIsRejected() {
      String error = onlyErrorOf("""
          instances:
            - id: %s
              name: &payments payments-prod
              region: us-south
            - id: %s
              name: *payments
              region: us-east
          """.formatted(ID_A, ID_B));

      assertThat(error).startsWith("line 6, column 11: the YAML alias *payments is not"
          + " supported");
      assertThat(error).contains("Write the value out in full");
    }

    @Test
    void mergeKeyIsRejected() {
      String error = onlyErrorOf("""
          probe: &defaults
            enabled: true
          instances:
            - id: %s
              region: us-south
              probe:
                <<: *defaults
          """.formatted(ID_A));

      assertThat(error).startsWith("line 7, column 11: the YAML alias *defaults");
    }

    @Test
    void anchorWithoutAliasIsAccepted() throws Exception {
      ExporterConfig config = parse("""
          instances:
            - id: %s
              name: &payments payments-prod
              region: us-south
          """.formatted(ID_A));

      assertThat(config.instances().get(0).name()).isEqualTo("payments-prod");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "# only a comment\n", "---\n"})
    void emptyConfigIsRejected(String yaml) {
      assertThat(onlyErrorOf(yaml))
          .isEqualTo(
              "the configuration is empty. It needs at least an instances list with the id"
                  + " and region of each Key Protect instance");
    }

    @Test
    void malformedYamlNamesLineAndColumn() {
      String error =
          onlyErrorOf(
              """
              poll:
                interval: [30s
              instances: []
              """);

      assertThat(error)
          .startsWith("line 3, column 10: invalid YAML: ")
          .contains("(while parsing a flow sequence that starts at line 2, column 13)")
          .endsWith("Check the indentation and quoting there");
    }

    @Test
    void malformedYamlDoesNotQuoteTheLine() {
      String yaml =
          """
          iam:
          \tapi_key: Zq9LmXc4TvB7nR2sK8wYd3HfJ6pA1gUeQo5iVtNbMzXs
          """;

      ConfigException e = Configs.exceptionOf(yaml);

      assertThat(e.getMessage())
          .startsWith(Configs.SOURCE + ": line 2, column 1: invalid YAML: ")
          .doesNotContain("Zq9LmXc4");
      assertThat(e.getCause()).isNull();
    }

    @Test
    void duplicateKeyIsRejected() {
      assertThat(
              onlyErrorOf(
                  """
                  poll:
                    interval: 30s
                    interval: 1m
                  """))
          .isEqualTo(
              "line 3, column 11: the key interval appears twice in the same mapping."
                  + " Keep one of the two");
    }

    @Test
    void secondDocumentIsRejected() {
      assertThat(onlyErrorOf(Configs.LOCAL_IAM_AND_INSTANCE + "---\npoll: {}\n"))
          .startsWith("line 8, column 1: a second YAML document starts here.");
    }

    @Test
    void topLevelListIsRejected() {
      assertThat(onlyErrorOf("- id: " + ID_A + "\n"))
          .isEqualTo(
              "expected a mapping with the keys poll, iam, probe, instances, shard at the top"
                  + " level, found a list");
    }

    @Test
    void topLevelStringIsNotShown() {
      String apiKey = "Fake0ApiKey1Shaped2Like3An4IbmCloud5Key6abcd";

      String error = onlyErrorOf(apiKey + "\n");

      assertThat(error)
          .startsWith("expected a mapping with the keys poll, iam, probe, instances, shard at the"
              + " top level,"
              + " found a single string (not shown")
          .contains("--config.file")
          .doesNotContain(apiKey);
    }
  }

  @Nested
  class UnknownKeys {

    @Test
    void typoAtTopLevelListsValidKeys() {
      assertThat(onlyErrorOf(Configs.LOCAL_IAM_AND_INSTANCE + "pol:\n  interval: 1m\n"))
          .isEqualTo(
              "pol: unknown key. Valid top-level keys: poll, iam, probe, instances, shard. Did you"
                  + " mean poll?");
    }

    @Test
    void typoInSectionSuggestsClosestKey() {
      assertThat(onlyErrorOf(Configs.LOCAL_IAM_AND_INSTANCE + "poll:\n  stale_afer: 2m\n"))
          .isEqualTo(
              "poll.stale_afer: unknown key. Valid keys under poll: interval, timeout,"
                  + " stale_after, warm_up, concurrency. Did you mean stale_after?");
    }

    @Test
    void camelCaseKeySuggestsSnakeCase() {
      assertThat(onlyErrorOf(Configs.LOCAL_IAM_AND_INSTANCE + "poll:\n  warmUp: 2m\n"))
          .endsWith("Did you mean warm_up?");
    }

    @Test
    void unrelatedKeyGetsNoSuggestion() {
      assertThat(onlyErrorOf(Configs.LOCAL_IAM_AND_INSTANCE + "logging: debug\n"))
          .isEqualTo(
              "logging: unknown key. Valid top-level keys: poll, iam, probe, instances, shard");
    }

    @Test
    void unknownKeyInInstanceNamesItsPosition() {
      String error = onlyErrorOf(Configs.LOCAL_IAM_AND_INSTANCE + "    regoin: eu-de\n");

      assertThat(error)
          .isEqualTo(
              "instances[0].regoin: unknown key. Valid keys under instances[0]: id, name,"
                  + " region, private, endpoint, probe, source. Did you mean region?");
    }

    @Test
    void dottedKeyIsQuotedInPath() {
      assertThat(onlyErrorOf(Configs.LOCAL_IAM_AND_INSTANCE + "poll.interval: 1m\n"))
          .startsWith("\"poll.interval\": unknown key.");
    }

    @Test
    void valueOfUnknownKeyIsNotShown() {
      assertThat(onlyErrorOf(Configs.LOCAL_IAM_AND_INSTANCE + "token: s3cr3t-t0ken\n"))
          .doesNotContain("s3cr3t");
    }
  }

  @Nested
  class AllErrorsAtOnce {

    @Test
    void reportsOneErrorPerMistake() throws Exception {
      String file = resource("many-errors.yaml").toString();

      List<String> errors =
          catchThrowableOfType(ConfigException.class, () -> new ConfigLoader().load(Path.of(file)))
              .errors();

      assertThat(errors)
          .extracting(
              error -> error.substring(file.length() + 2, error.indexOf(':', file.length() + 2)))
          .containsExactly(
              "poll.stale_afer",
              "poll.interval",
              "iam.api_key_env",
              "instances[0].region",
              "instances[1].id");
    }

    @Test
    void messageListsErrorsOnePerLine() {
      List<String> errors =
          errorsOf(
              """
              poll:
                concurrency: 0
              instances:
                - region: us-south
              """);

      assertThat(errors).hasSize(2);
      ConfigException e = new ConfigException(errors);
      assertThat(e.getMessage().lines()).containsExactlyElementsOf(errors);
    }
  }
}
