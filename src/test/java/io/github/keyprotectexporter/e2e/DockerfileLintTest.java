package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Lints the Dockerfile, which cannot be built here because the machine has no Docker engine. */
class DockerfileLintTest {

  @Test
  void dockerfileHasNoLintFindings() throws Exception {
    Path tool = ExternalTool.require("dockerfilelint", "npm install -g dockerfilelint");
    Path projectDir = Path.of("").toAbsolutePath();
    assertThat(projectDir.resolve("Dockerfile")).as("Dockerfile in %s", projectDir).exists();

    // dockerfilelint exits with the number of findings.
    ExternalTool.Result lint =
        ExternalTool.run(projectDir, "", List.of(tool.toString(), "Dockerfile"));

    assertThat(lint.exitCode()).as("dockerfilelint Dockerfile: %s", lint.output()).isZero();
  }
}
