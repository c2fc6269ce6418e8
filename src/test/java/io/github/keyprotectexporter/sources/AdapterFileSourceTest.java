package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.FileSourceConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.polling.PollListener;
import io.github.keyprotectexporter.polling.Poller;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.testing.MutableClock;
import io.github.keyprotectexporter.testing.NamedPipe;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file source on real files: changes, renames, deletion and partial writes. */
class AdapterFileSourceTest {

  static final String ID_A = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  static final String ID_B = "2b8c4f61-93de-47a0-8e15-00000000c0fe";
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  static final PollSettings SETTINGS = new PollSettings(Duration.ofSeconds(30),
      Duration.ofSeconds(5), Duration.ofSeconds(90), Duration.ofMinutes(5), 2);

  @TempDir Path directory;
  private Path file;
  private final MutableClock clock = new MutableClock(NOW);
  private InstanceConfig instanceA;
  private InstanceConfig instanceB;
  private CryptoUnitSource source;

  @BeforeEach
  void createSource() {
    file = directory.resolve("units.json");
    instanceA = instance(ID_A, new FileSourceConfig(file, null));
    instanceB = instance(ID_B, new FileSourceConfig(directory.resolve("./units.json"), null));
    source = create(clock, instanceA, instanceB);
  }

  @AfterEach
  void closeSource() {
    source.close();
  }

  static InstanceConfig instance(String id, FileSourceConfig fileSource) {
    return new InstanceConfig(id, "", "us-south", false, URI.create("http://127.0.0.1:1"),
        fileSource);
  }

  static CryptoUnitSource create(Clock clock, InstanceConfig... instances) {
    ExporterConfig config = new ExporterConfig(SETTINGS,
        new IamSettings(URI.create("http://127.0.0.1:1/identity/token"), "UNUSED", null),
        List.of(instances));
    return CryptoUnitSources.create(config, null, ApiRequestListener.NONE, clock, Map.of());
  }

  /** Returns an adapter document listing both instances, A with the given unit states. */
  static String document(Instant generatedAt, String... statesOfA) {
    StringBuilder units = new StringBuilder();
    for (int i = 0; i < statesOfA.length; i++) {
      units.append(i == 0 ? "" : ",\n")
          .append("        {\"id\": \"u").append(i + 1).append("\", \"state\": \"")
          .append(statesOfA[i]).append("\"}");
    }
    return """
        {
          "generatedAt": "%s",
          "instances": [
            {"id": "%s", "units": [
        %s
            ]},
            {"id": "%s", "units": [{"id": "b1", "state": "kms-initialized"}]}
          ]
        }
        """.formatted(generatedAt, ID_A, units, ID_B);
  }

  /** Writes {@code content} to a temporary file and renames it over the adapter file. */
  private void replace(String content) throws IOException {
    Path temporary = directory.resolve(".units.json.tmp");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private List<String> statesOfA() throws PollException {
    return source.listCryptoUnits(instanceA).stream().map(unit -> unit.state().label()).toList();
  }

  private PollException failureOfA() {
    PollException e = catchThrowableOfType(PollException.class,
        () -> source.listCryptoUnits(instanceA));
    assertThat(e).as("poll of instance A fails").isNotNull();
    return e;
  }

  @Test
  void readsUnitsOfEachInstance() throws Exception {
    replace(document(NOW, "kms-initialized", "maintenance"));

    assertThat(source.listCryptoUnits(instanceA))
        .containsExactly(
            CryptoUnit.of("u1", "kms-initialized"), CryptoUnit.of("u2", "maintenance"));
    assertThat(source.listCryptoUnits(instanceB))
        .containsExactly(CryptoUnit.of("b1", "kms-initialized"));
  }

  @Nested
  class Watching {

    @Test
    void renamedNewVersionIsRead() throws Exception {
      replace(document(NOW, "kms-initialized"));
      assertThat(statesOfA()).containsExactly("kms-initialized");

      replace(document(NOW, "maintenance"));

      assertThat(statesOfA()).containsExactly("maintenance");
    }

    @Test
    void changeInPlaceIsRead() throws Exception {
      Files.writeString(file, document(NOW, "kms-initialized"));
      assertThat(statesOfA()).containsExactly("kms-initialized");

      Files.writeString(file, document(NOW, "reserved", "claimed"));

      assertThat(statesOfA()).containsExactly("reserved", "claimed");
    }

    @Test
    void deletionFailsAsUnavailable() throws Exception {
      replace(document(NOW, "kms-initialized"));
      assertThat(statesOfA()).containsExactly("kms-initialized");

      Files.delete(file);
      PollException e = failureOfA();

      assertThat(e.reason()).isEqualTo(PollErrorReason.SOURCE_UNAVAILABLE);
      assertThat(e.getMessage()).isEqualTo(file + ": not found. Check source.path and that the"
          + " adapter or job that writes it runs");
    }

    @Test
    void namedPipeFailsAsUnavailable() throws Exception {
      try (NamedPipe pipe = NamedPipe.create(file, document(NOW, "kms-initialized"))) {
        PollException e = failureOfA();

        assertThat(pipe.wasRead()).isFalse();
        assertThat(e.reason()).isEqualTo(PollErrorReason.SOURCE_UNAVAILABLE);
        assertThat(e.getMessage()).isEqualTo(file + ": is not a regular file, such as a named"
            + " pipe or a device. Give the path of the adapter file in source.path");
      }
    }

    @Test
    void renameAwayAndBack() throws Exception {
      replace(document(NOW, "kms-initialized"));
      assertThat(statesOfA()).containsExactly("kms-initialized");
      Path away = directory.resolve("units.json.old");

      Files.move(file, away);
      PollException whileAway = failureOfA();
      Files.move(away, file);

      assertThat(whileAway.reason()).isEqualTo(PollErrorReason.SOURCE_UNAVAILABLE);
      assertThat(statesOfA()).containsExactly("kms-initialized");
    }

    @Test
    void partialWriteIsBadOutput() throws Exception {
      String complete = document(NOW, "kms-initialized", "kms-initialized");
      replace(complete);
      assertThat(statesOfA()).hasSize(2);

      // A writer that ignores the rename contract, caught halfway through.
      Files.writeString(file, complete.substring(0, complete.indexOf("\"u2\"")));
      PollException e = failureOfA();

      assertThat(e.reason()).isEqualTo(PollErrorReason.BAD_OUTPUT);
      assertThat(e.getMessage()).contains("the JSON ends before the document is complete");
    }

    @Test
    void emptyFileIsBadOutput() throws Exception {
      replace(document(NOW, "kms-initialized"));
      assertThat(statesOfA()).hasSize(1);

      Files.writeString(file, "");
      PollException e = failureOfA();

      assertThat(e.reason()).isEqualTo(PollErrorReason.BAD_OUTPUT);
      assertThat(e.getMessage()).startsWith(file + ": is empty.");
    }

    @Test
    void sharedFileIsParsedOncePerChange() throws Exception {
      replace(document(NOW, "kms-initialized"));
      try (CapturedLogs logs = new CapturedLogs()) {
        source.listCryptoUnits(instanceA);
        source.listCryptoUnits(instanceB);
        source.listCryptoUnits(instanceA);
        assertThat(readCount(logs)).isEqualTo(1);

        replace(document(NOW, "maintenance"));
        source.listCryptoUnits(instanceB);
        source.listCryptoUnits(instanceA);

        assertThat(readCount(logs)).isEqualTo(2);
      }
    }

    @Test
    void unchangedFileIsReadEachInterval() throws Exception {
      replace(document(NOW, "kms-initialized"));
      try (CapturedLogs logs = new CapturedLogs()) {
        source.listCryptoUnits(instanceA);

        clock.advance(SETTINGS.interval());
        source.listCryptoUnits(instanceA);

        assertThat(readCount(logs)).isEqualTo(2);
      }
    }

    private long readCount(CapturedLogs logs) {
      return logs.messages(Level.DEBUG).stream()
          .filter(message -> message.startsWith("Adapter file read path=")).count();
    }
  }

  @Nested
  class Failures {

    @Test
    void staleDocumentFails() throws Exception {
      replace(document(NOW.minusSeconds(60), "kms-initialized"));
      assertThat(statesOfA()).hasSize(1);

      clock.advance(Duration.ofSeconds(31));
      PollException e = failureOfA();

      assertThat(e.reason()).isEqualTo(PollErrorReason.STALE_SOURCE);
      assertThat(e.getMessage()).isEqualTo(file + ": generated at 2026-03-01T11:59:00Z, 1m31s"
          + " ago, which is longer than poll.stale_after (1m30s). Check that the adapter or job"
          + " that writes it still runs");
    }

    @Test
    void missingInstanceFails() throws Exception {
      Files.writeString(file, """
          {"generatedAt": "%s", "instances": [{"id": "%s", "units": []}]}""".formatted(NOW, ID_B));

      PollException e = failureOfA();

      assertThat(e.reason()).isEqualTo(PollErrorReason.BAD_OUTPUT);
      assertThat(e.getMessage()).isEqualTo(file + ": lists no instance " + ID_A + " (it lists "
          + ID_B + "). Add the instance to the document, or set source.instance_id to the id the"
          + " document uses");
    }

    @Test
    void documentInstanceIdSelectsEntry() throws Exception {
      InstanceConfig renamed = instance(ID_A, new FileSourceConfig(file, ID_B));
      replace(document(NOW, "reserved"));

      try (CryptoUnitSource renamedSource = create(clock, renamed)) {
        assertThat(renamedSource.listCryptoUnits(renamed))
            .containsExactly(CryptoUnit.of("b1", "kms-initialized"));
      }
    }

    @Test
    void directoryIsUnavailable() throws Exception {
      Files.createDirectory(file);

      PollException e = failureOfA();

      assertThat(e.reason()).isEqualTo(PollErrorReason.SOURCE_UNAVAILABLE);
      assertThat(e.getMessage()).endsWith("is a directory. Give the path of the adapter file in"
          + " source.path");
    }

    @Test
    void largeFileIsRejected() throws Exception {
      replace(document(NOW, "kms-initialized"));
      AdapterFileReader reader = new AdapterFileReader(file, 100, Duration.ofSeconds(15), clock);

      PollException e = catchThrowableOfType(PollException.class, reader::read);

      assertThat(e.reason()).isEqualTo(PollErrorReason.OUTPUT_TOO_LARGE);
    }

    @Test
    void checkValueIsNeverLogged() throws Exception {
      String value = "C0FFEE4711";
      SnapshotStore store = new SnapshotStore(List.of(instanceA));
      try (CapturedLogs logs = new CapturedLogs();
          Poller poller = new Poller(SETTINGS, List.of(instanceA), source, store,
              PollListener.NONE, clock)) {
        Files.writeString(file, """
            {"generatedAt": "%s", "instances": [{"id": "%s", "units": [
              {"id": "u1", "state": "kms-initialized", "masterKeyCheckValue": "%s"},
              {"id": "u2", "state": "retired", "masterKeyCheckValue": "0000"}]}]}
            """.formatted(NOW, ID_A, value));
        poller.pollAllOnce();
        clock.advance(SETTINGS.interval());
        Files.writeString(file, """
            {"generatedAt": "%s", "instances": [{"id": "%s", "units": [
              {"id": "u1", "state": "kms-initialized", "masterKeyCheckValue": %s}]}]}
            """.formatted(NOW, ID_A, value));
        poller.pollAllOnce();

        assertThat(store.get(ID_A).lastErrorMessage()).contains("invalid JSON");
        assertThat(store.get(ID_A).units()).hasSize(2);
        assertThat(logs.allText()).contains(ID_A).doesNotContain(value);
        assertThat(store.get(ID_A).toString()).doesNotContain(value);
      }
    }

    @Test
    void invalidUtf8IsBadOutput() throws Exception {
      Files.write(file, new byte[] {'{', (byte) 0xff, '}'});

      PollException e = failureOfA();

      assertThat(e.reason()).isEqualTo(PollErrorReason.BAD_OUTPUT);
      assertThat(e.getMessage()).isEqualTo(file + ": not UTF-8 text. Write the adapter document"
          + " in UTF-8");
    }
  }
}
