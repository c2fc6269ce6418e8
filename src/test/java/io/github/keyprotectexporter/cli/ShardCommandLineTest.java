package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** Bad shards stop the commands before anything starts. */
class ShardCommandLineTest {

  private static final String CONFIG = """
      %s
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          region: us-south
          endpoint: http://127.0.0.1:1
          source: {type: file, path: /nonexistent/units.json}
      """;

  @TempDir Path directory;

  private Path writeConfig(String shardLine) throws Exception {
    Path config = directory.resolve("config.yaml");
    Files.writeString(config, CONFIG.formatted(shardLine));
    return config;
  }

  @ParameterizedTest
  @ValueSource(strings = {"3/3", "0/0", "x"})
  void runRejectsInvalidShardFlag(String value) throws Exception {
    Path config = writeConfig("");

    int exitCode = Main.execute("run", "--shard=" + value, "--config.file=" + config,
        "--web.listen-address=127.0.0.1:0");

    assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void onceRejectsInvalidShardFlag() throws Exception {
    Path config = writeConfig("");

    int exitCode = Main.execute("once", "--shard=2/2", "--config.file=" + config);

    assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
  }

  @Test
  void invalidShardFlagMessageNamesValue() {
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new RunCommand());
    commandLine.setErr(new PrintWriter(err));

    int exitCode = commandLine.execute("--shard=3/3");

    assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString())
        .contains("\"3/3\" is not a valid shard: shard 3 is not between 0 and 2 for 3 shards");
  }

  @Test
  void runRejectsInvalidShardKey() throws Exception {
    Path config = writeConfig("shard: 0/0");
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new RunCommand());
    commandLine.setErr(new PrintWriter(err));

    int exitCode = commandLine.execute("--config.file=" + config,
        "--web.listen-address=127.0.0.1:0");

    assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("shard: \"0/0\" is not a valid shard");
  }
}
