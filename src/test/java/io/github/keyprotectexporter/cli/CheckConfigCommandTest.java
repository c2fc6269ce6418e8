package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class CheckConfigCommandTest {

  private static final String COMMAND_SOURCE_CONFIG = """
      instances:
        - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
          region: us-south
          source:
            type: command
            argv: [/bin/true]
            env:
              TOKEN: ${%s}
      """;

  @TempDir Path directory;

  private int checkConfig(String yaml, StringWriter err) throws Exception {
    Path config = directory.resolve("config.yaml");
    Files.writeString(config, yaml);
    CommandLine commandLine = new CommandLine(new CheckConfigCommand());
    commandLine.setErr(new PrintWriter(err));
    commandLine.setOut(new PrintWriter(new StringWriter()));
    return commandLine.execute("--config.file=" + config);
  }

  @Test
  void unsetCommandVariableFailsCheck() throws Exception {
    StringWriter err = new StringWriter();

    int exitCode = checkConfig(COMMAND_SOURCE_CONFIG.formatted("KEYPROTECT_TEST_UNSET_VARIABLE"),
        err);

    assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("sources cannot be created")
        .contains("KEYPROTECT_TEST_UNSET_VARIABLE");
  }

  @Test
  void setCommandVariablePassesCheck() throws Exception {
    StringWriter err = new StringWriter();

    int exitCode = checkConfig(COMMAND_SOURCE_CONFIG.formatted("PATH"), err);

    assertThat(exitCode).as(err.toString()).isEqualTo(ExitCodes.OK);
  }

  @Test
  void invalidWebConfigFailsCheck() throws Exception {
    Path config = directory.resolve("config.yaml");
    Files.writeString(config, COMMAND_SOURCE_CONFIG.formatted("PATH"));
    Path web = Files.writeString(directory.resolve("web.yml"), """
        tls_server_config: {cert_file: server.crt, key_file: server.key, max_version: TLS14}
        """);
    StringWriter err = new StringWriter();
    CommandLine commandLine = new CommandLine(new CheckConfigCommand());
    commandLine.setErr(new PrintWriter(err));
    commandLine.setOut(new PrintWriter(new StringWriter()));

    int exitCode =
        commandLine.execute("--config.file=" + config, "--web.config.file=" + web);

    assertThat(exitCode).isEqualTo(ExitCodes.USAGE);
    assertThat(err.toString()).contains("Invalid web config file " + web)
        .contains("unknown TLS version \"TLS14\"");
  }
}
