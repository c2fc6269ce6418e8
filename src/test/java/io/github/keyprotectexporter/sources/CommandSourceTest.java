package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.github.keyprotectexporter.config.CommandSourceConfig;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command source with real child processes started through /bin/sh. */
class CommandSourceTest {

  private static final String ID = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration LONG = Duration.ofSeconds(30);
  private static final Duration SHORT = Duration.ofSeconds(1);
  private static final Map<String, String> AGENT_ENVIRONMENT =
      Map.of("SECRET_TOKEN", "s3cr3t-value", "HOME", "/home/agent");

  @TempDir Path directory;
  private final MutableClock clock = new MutableClock(NOW);

  private CommandSource source(String script, Duration timeout, long maxOutput) {
    Map<String, String> environment = new LinkedHashMap<>();
    environment.put("TOKEN", "${SECRET_TOKEN}");
    environment.put("MODE", "plain");
    environment.put("WORK", directory.toString());
    CommandSourceConfig config = new CommandSourceConfig(List.of("/bin/sh", "-c", script),
        timeout, environment, maxOutput, null);
    return new CommandSource(config, LONG, Duration.ofSeconds(90), AGENT_ENVIRONMENT, clock,
        new UnknownStateLog());
  }

  private CommandSource source(String script) {
    return source(script, LONG, CommandSourceConfig.DEFAULT_MAX_OUTPUT_BYTES);
  }

  private static InstanceConfig instance() {
    return new InstanceConfig(ID, "", "us-south", false, URI.create("http://127.0.0.1:1"));
  }

  private static PollException failureOf(CommandSource source) {
    PollException e =
        catchThrowableOfType(PollException.class, () -> source.listCryptoUnits(instance()));
    assertThat(e).as("poll fails").isNotNull();
    return e;
  }

  private long pidIn(String name) throws IOException {
    Path file = directory.resolve(name);
    await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(file)
        && !Files.readString(file).isBlank());
    return Long.parseLong(Files.readString(file).strip());
  }

  private static void awaitDead(long pid) {
    await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false))
            .as("process %d is alive", pid).isFalse());
  }

  @Nested
  class Output {

    @Test
    void readsCliTable() throws Exception {
      CommandSource source = source(
          "printf 'OK\\nId  InstanceID  State\\nu1  %s  kms-initialized\\n'".formatted(ID));

      assertThat(source.listCryptoUnits(instance()))
          .containsExactly(CryptoUnit.of("u1", "kms-initialized"));
    }

    @Test
    void readsApiJson() throws Exception {
      CommandSource source = source("printf '{\"crypto_units\": [{\"id\": \"u1\", \"state\":"
          + " \"maintenance\"}]}'");

      assertThat(source.listCryptoUnits(instance()))
          .containsExactly(CryptoUnit.of("u1", "maintenance"));
    }

    @Test
    void readsAdapterJson() throws Exception {
      Files.writeString(directory.resolve("units.json"), """
          {"generatedAt": "%s", "instances": [{"id": "%s", "units": [
            {"id": "u1", "state": "kms-initialized", "masterKeyCheckValue": "9A3F0C"}]}]}
          """.formatted(NOW, ID));
      CommandSource source = source("cat \"$WORK/units.json\"");

      assertThat(source.listCryptoUnits(instance()))
          .containsExactly(CryptoUnit.of("u1", "kms-initialized", "9A3F0C", null));
    }

    @Test
    void staleAdapterJsonFails() throws Exception {
      Files.writeString(directory.resolve("units.json"), """
          {"generatedAt": "%s", "instances": [{"id": "%s", "units": []}]}
          """.formatted(NOW.minusSeconds(600), ID));

      PollException e = failureOf(source("cat \"$WORK/units.json\""));

      assertThat(e.reason()).isEqualTo(PollErrorReason.STALE_SOURCE);
    }

    @Test
    void environmentIsOnlyNamedVariables() throws Exception {
      CommandSource source = source("env > \"$WORK/env.txt\"; echo 'Id InstanceID State'");

      source.listCryptoUnits(instance());
      String environment = Files.readString(directory.resolve("env.txt"));

      assertThat(environment).contains("TOKEN=s3cr3t-value\n").contains("MODE=plain\n");
      assertThat(environment).doesNotContain("SECRET_TOKEN=").doesNotContain("HOME=");
    }

    @Test
    void emptyOutputIsBadOutput() {
      PollException e = failureOf(source("true"));

      assertThat(e.reason()).isEqualTo(PollErrorReason.BAD_OUTPUT);
      assertThat(e.getMessage()).startsWith("output of /bin/sh: printed nothing.");
    }

    @Test
    void nulByteIsBinaryOutput() {
      PollException e = failureOf(source("printf 'Id\\000\\001\\002'"));

      assertThat(e.reason()).isEqualTo(PollErrorReason.BAD_OUTPUT);
      assertThat(e.getMessage()).startsWith("output of /bin/sh: printed binary data, not UTF-8"
          + " text (byte 0x00 at offset 2)");
    }

    @Test
    void invalidUtf8IsBinaryOutput() {
      PollException e = failureOf(source("printf 'Id InstanceID State\\n\\377\\376'"));

      assertThat(e.reason()).isEqualTo(PollErrorReason.BAD_OUTPUT);
      assertThat(e.getMessage()).contains("(byte 0xff at offset 20)");
    }

    @Test
    void invalidJsonNamesLine() {
      PollException e = failureOf(source("printf '{\"crypto_units\": [\\n  {\"id\": }]}'"));

      assertThat(e.reason()).isEqualTo(PollErrorReason.BAD_OUTPUT);
      assertThat(e.getMessage()).startsWith("output of /bin/sh: line 2, column ");
    }
  }

  @Nested
  class Failures {

    @Test
    void nonZeroExitShowsMaskedStderr() {
      PollException e = failureOf(source(
          "echo; echo \"login failed for $TOKEN\" >&2; echo second line >&2; exit 3"));

      assertThat(e.reason()).isEqualTo(PollErrorReason.COMMAND_FAILED);
      assertThat(e.getMessage()).isEqualTo(
          "command /bin/sh exited with status 3; stderr: login failed for ****");
    }

    @Test
    void missingProgramFails() {
      CommandSourceConfig config = new CommandSourceConfig(
          List.of(directory.resolve("kp-units").toString()), LONG, Map.of(), 1024, null);
      CommandSource source = new CommandSource(config, LONG, LONG, Map.of(), clock,
          new UnknownStateLog());

      PollException e = failureOf(source);

      assertThat(e.reason()).isEqualTo(PollErrorReason.COMMAND_FAILED);
      assertThat(e.getMessage()).startsWith("command " + directory.resolve("kp-units")
          + " could not be started: ");
    }

    @Test
    void timeoutKillsProcessTree() throws Exception {
      CommandSource source = source(
          "sleep 300 & echo $! > \"$WORK/child.pid\"; echo $$ > \"$WORK/parent.pid\";"
              + " echo waiting >&2; wait", SHORT, 1024);

      PollException e = failureOf(source);

      assertThat(e.reason()).isEqualTo(PollErrorReason.COMMAND_TIMEOUT);
      assertThat(e.getMessage()).isEqualTo("command /bin/sh did not exit within 1s and was killed"
          + " with its child processes; stderr: waiting");
      awaitDead(pidIn("parent.pid"));
      awaitDead(pidIn("child.pid"));
    }

    @Test
    void hugeOutputIsCutAndKilled() throws Exception {
      CommandSource source = source("echo $$ > \"$WORK/yes.pid\"; exec yes", LONG, 1024);

      PollException e = failureOf(source);

      assertThat(e.reason()).isEqualTo(PollErrorReason.OUTPUT_TOO_LARGE);
      assertThat(e.getMessage()).startsWith("command /bin/sh printed more than 1024 bytes and"
          + " was killed");
      awaitDead(pidIn("yes.pid"));
    }

    @Test
    void unsetVariableFailsAtCreation() {
      CommandSourceConfig config = new CommandSourceConfig(List.of("/bin/true"), LONG,
          Map.of("KEY", "${NOT_SET_ANYWHERE}"), 1024, null);

      assertThatThrownBy(() -> new CommandSource(config, LONG, LONG, Map.of(), clock,
          new UnknownStateLog()))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("environment variable NOT_SET_ANYWHERE is not set");
    }
  }
}
