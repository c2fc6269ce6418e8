package io.github.keyprotectexporter.alerting;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Runs promtool on the shipped rule file and its unit tests. */
class PromtoolRulesTest {

  private static final Path ALERTS = Path.of("alerts");

  @Test
  void rulesPassPromtoolCheck() {
    CommandRun run = CommandRun.of(Path.of("."), RequiredTools.promtool(), "check", "rules",
        RuleFiles.RULES);

    assertThat(run.exitCode()).as(run.describe()).isZero();
  }

  @Test
  void rulesPassTheirUnitTests() {
    CommandRun run = CommandRun.of(Path.of("."), RequiredTools.promtool(), "test", "rules",
        RuleFiles.RULE_TESTS);

    assertThat(run.exitCode()).as(run.describe()).isZero();
    assertThat(run.output()).as(run.describe()).contains("SUCCESS");
  }

  @Test
  void everyRuleFileHasOneTestFile() throws IOException {
    List<String> files;
    try (Stream<Path> listing = Files.list(ALERTS)) {
      files = listing.map(path -> path.getFileName().toString()).toList();
    }

    assertThat(files)
        .containsExactlyInAnyOrder(
            RuleFiles.RULES.getFileName().toString(),
            RuleFiles.RULE_TESTS.getFileName().toString());
    assertThat(RuleFiles.readYaml(RuleFiles.RULE_TESTS).path("rule_files").toString())
        .isEqualTo("[\"" + RuleFiles.RULES.getFileName() + "\"]");
  }
}
