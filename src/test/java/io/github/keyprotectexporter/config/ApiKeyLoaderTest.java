package io.github.keyprotectexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiKeyLoaderTest {

  /** Shaped like an IBM Cloud API key, so a leak into any message is easy to spot. */
  private static final String FAKE_KEY = "Zq9LmXc4TvB7nR2sK8wYd3HfJ6pA1gUeQo5iVtNbMzXs";

  private static IamSettings fromEnv(String name) {
    return new IamSettings(IamSettings.DEFAULT_URL, name, null);
  }

  private static IamSettings fromFile(Path file) {
    return new IamSettings(IamSettings.DEFAULT_URL, null, file);
  }

  @Nested
  class FromEnvironment {

    @Test
    void readsNamedVariable() throws Exception {
      ApiKeyLoader loader = new ApiKeyLoader(Map.of("KP_KEY", FAKE_KEY));

      assertThat(loader.load(fromEnv("KP_KEY")).reveal()).isEqualTo(FAKE_KEY);
    }

    @Test
    void readsDefaultVariableWhenNoneIsNamed() throws Exception {
      ApiKeyLoader loader = new ApiKeyLoader(Map.of("IBMCLOUD_API_KEY", FAKE_KEY));

      assertThat(loader.load(fromEnv(null)).reveal()).isEqualTo(FAKE_KEY);
    }

    @Test
    void stripsSurroundingWhitespace() throws Exception {
      ApiKeyLoader loader = new ApiKeyLoader(Map.of("KP_KEY", "  " + FAKE_KEY + "\n"));

      assertThat(loader.load(fromEnv("KP_KEY")).reveal()).isEqualTo(FAKE_KEY);
    }

    @Test
    void unsetVariableNamesItAndTheFix() {
      assertThatThrownBy(() -> new ApiKeyLoader(Map.of()).load(fromEnv("KP_KEY")))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "environment variable KP_KEY is not set. Set it to the IBM Cloud API key of"
                  + " the exporter, or name another variable in iam.api_key_env or a file in"
                  + " iam.api_key_file");
    }

    @Test
    void blankVariableIsRejected() {
      assertThatThrownBy(() -> new ApiKeyLoader(Map.of("KP_KEY", " \n")).load(fromEnv("KP_KEY")))
          .hasMessage(
              "environment variable KP_KEY is empty. Set it to the IBM Cloud API key alone");
    }

    @Test
    void innerWhitespaceIsRejected() {
      ApiKeyLoader loader = new ApiKeyLoader(Map.of("KP_KEY", "apikey " + FAKE_KEY));

      assertThatThrownBy(() -> loader.load(fromEnv("KP_KEY")))
          .hasMessageStartingWith("environment variable KP_KEY contains whitespace")
          .hasMessageNotContaining(FAKE_KEY.substring(0, 8));
    }
  }

  @Nested
  class FromFile {

    @TempDir Path directory;

    private Path write(String name, String content) throws Exception {
      Path file = directory.resolve(name);
      Files.writeString(file, content, StandardCharsets.ISO_8859_1);
      return file;
    }

    @Test
    void readsKeyAndStripsNewline() throws Exception {
      Path file = write("key", FAKE_KEY + "\n");

      assertThat(new ApiKeyLoader(Map.of()).load(fromFile(file)).reveal()).isEqualTo(FAKE_KEY);
    }

    @Test
    void fileTakesPrecedenceOverDefaultVariable() throws Exception {
      Path file = write("key", "\r\n" + FAKE_KEY + "\r\n");
      ApiKeyLoader loader = new ApiKeyLoader(Map.of("IBMCLOUD_API_KEY", "other"));

      assertThat(loader.load(fromFile(file)).reveal()).isEqualTo(FAKE_KEY);
    }

    @Test
    void missingFileNamesPathAndFix() {
      Path file = directory.resolve("absent");

      assertThatThrownBy(() -> new ApiKeyLoader(Map.of()).load(fromFile(file)))
          .isInstanceOf(ConfigException.class)
          .hasMessage(
              "API key file "
                  + file
                  + " not found. Create it with the API key as its only"
                  + " content, or correct iam.api_key_file");
    }

    @Test
    void directoryIsRejected() {
      assertThatThrownBy(() -> new ApiKeyLoader(Map.of()).load(fromFile(directory)))
          .hasMessage(
              "API key file "
                  + directory
                  + " is a directory. Name the file inside it in iam.api_key_file");
    }

    @Test
    void emptyFileIsRejected() throws Exception {
      Path file = write("key", "\n");

      assertThatThrownBy(() -> new ApiKeyLoader(Map.of()).load(fromFile(file)))
          .hasMessage("API key file " + file + " is empty. Put only the API key into the file");
    }

    @Test
    void largeFileIsRejected() throws Exception {
      Path file = write("key", FAKE_KEY.repeat(100));

      assertThatThrownBy(() -> new ApiKeyLoader(Map.of()).load(fromFile(file)))
          .hasMessage(
              "API key file "
                  + file
                  + " is larger than 4096 bytes, too large for an API"
                  + " key. Check iam.api_key_file and put only the key into the file");
    }

    @Test
    void secondLineIsRejected() throws Exception {
      Path file = write("key", FAKE_KEY + "\n# rotated monthly\n");

      assertThatThrownBy(() -> new ApiKeyLoader(Map.of()).load(fromFile(file)))
          .hasMessage(
              "API key file "
                  + file
                  + " contains whitespace, a line break or a character that cannot be in an API key"
                  + " (the value is not shown). Put only the API key into the file, on one line");
    }

    @Test
    void nonAsciiByteIsRejected() throws Exception {
      Path file = write("key", FAKE_KEY + "\u00e9");

      assertThatThrownBy(() -> new ApiKeyLoader(Map.of()).load(fromFile(file)))
          .hasMessageContaining("a character that cannot be in an API key");
    }

    @Test
    void unreadableFileNamesFix() throws Exception {
      assumeThat(System.getProperty("user.name")).as("root reads any file").isNotEqualTo("root");
      assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
      Path file = write("key", FAKE_KEY);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("---------"));

      assertThatThrownBy(() -> new ApiKeyLoader(Map.of()).load(fromFile(file)))
          .hasMessage(
              "API key file "
                  + file
                  + " cannot be read, permission denied. Give the user"
                  + " that runs the exporter read access to it");
    }

    @Test
    void fileReadableByOthersWarns() throws Exception {
      assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
      Path file = write("key", FAKE_KEY);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));

      try (LogCapture log = LogCapture.of(ApiKeyLoader.class)) {
        new ApiKeyLoader(Map.of()).load(fromFile(file));

        assertThat(log.warnings())
            .containsExactly(
                "API key file "
                    + file
                    + " is readable by group or others (mode"
                    + " rw-r--r--). Restrict it, for example with chmod 600");
      }
    }

    @Test
    void privateFileDoesNotWarn() throws Exception {
      assumeThat(FileSystems.getDefault().supportedFileAttributeViews()).contains("posix");
      Path file = write("key", FAKE_KEY);
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));

      try (LogCapture log = LogCapture.of(ApiKeyLoader.class)) {
        new ApiKeyLoader(Map.of()).load(fromFile(file));

        assertThat(log.warnings()).isEmpty();
      }
    }
  }

  @Test
  void bothSourcesAreAProgrammingError() {
    IamSettings both = new IamSettings(IamSettings.DEFAULT_URL, "KP_KEY", Path.of("/run/key"));

    assertThatThrownBy(() -> new ApiKeyLoader(Map.of()).load(both))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void keyNeverAppearsInAnyMessage(@TempDir Path directory) throws Exception {
    Path twoLines = directory.resolve("two-lines");
    Files.writeString(twoLines, FAKE_KEY + "\n" + FAKE_KEY + "\n");
    Path large = directory.resolve("large");
    Files.writeString(large, FAKE_KEY.repeat(200));
    Path withSpace = directory.resolve("with-space");
    Files.writeString(withSpace, FAKE_KEY.substring(0, 20) + " " + FAKE_KEY.substring(20));
    ApiKeyLoader loader =
        new ApiKeyLoader(Map.of("SPACED", FAKE_KEY + " x", "TAB", "\t" + FAKE_KEY + "\tx"));

    List<IamSettings> failing =
        List.of(
            fromFile(twoLines),
            fromFile(large),
            fromFile(withSpace),
            fromEnv("SPACED"),
            fromEnv("TAB"),
            fromEnv(FAKE_KEY),
            fromFile(directory.resolve(FAKE_KEY)));

    for (IamSettings iam : failing) {
      ConfigException e = catchThrowableOfType(ConfigException.class, () -> loader.load(iam));
      assertThat(e).as("exception for %s", iam).isNotNull();
      assertThat(e.getMessage()).doesNotContain(FAKE_KEY.substring(0, 12));
      assertThat(e.getMessage()).doesNotContain(FAKE_KEY.substring(20, 32));
    }
  }
}
