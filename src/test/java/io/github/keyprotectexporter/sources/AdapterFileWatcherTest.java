package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.FileSourceConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.Poller;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter file watcher on real files and the platform's watch service. */
class AdapterFileWatcherTest {

  static final String ID_A = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  static final String ID_B = "2b8c4f61-93de-47a0-8e15-00000000c0fe";
  static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  /** A poll interval of an hour, so that only the watcher can explain a second poll. */
  static final PollSettings SETTINGS = new PollSettings(Duration.ofHours(1),
      Duration.ofSeconds(5), Duration.ofHours(2), Duration.ZERO, 2);
  static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path directory;
  private Path file;
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final List<String> failures = new CopyOnWriteArrayList<>();
  private CryptoUnitSource source;
  private Poller poller;
  private AdapterFileWatcher watcher;

  @BeforeEach
  void locateFile() {
    file = directory.resolve("units.json");
  }

  @AfterEach
  void stop() {
    if (watcher != null) {
      watcher.close();
    }
    if (poller != null) {
      poller.close();
    }
    if (source != null) {
      source.close();
    }
  }

  static InstanceConfig instance(String id, Path path) {
    return new InstanceConfig(id, "", "us-south", false, URI.create("http://127.0.0.1:1"),
        new FileSourceConfig(path, null));
  }

  /** Starts a source, a poller and a watcher as the agent does, and waits for the first polls. */
  private SnapshotStore startPolling(InstanceConfig... instances) {
    List<InstanceConfig> list = List.of(instances);
    ExporterConfig config = new ExporterConfig(SETTINGS,
        new IamSettings(URI.create("http://127.0.0.1:1/identity/token"), "UNUSED", null), list);
    source = CryptoUnitSources.create(config, null, ApiRequestListener.NONE, clock, Map.of());
    SnapshotStore store = new SnapshotStore(list);
    poller = new Poller(SETTINGS, list, source, store,
        (id, reason) -> failures.add(id + ": " + reason.label()), clock);
    watcher = AdapterFileWatcher.start(list, poller::pollSoon);
    poller.start();
    await().atMost(WAIT).until(store::allPolled);
    return store;
  }

  /** Returns an adapter document with one unit in each of instances A and B. */
  static String document(String stateOfA, String stateOfB) {
    return """
        {"generatedAt": "%s", "instances": [
          {"id": "%s", "units": [{"id": "a1", "state": "%s"}]},
          {"id": "%s", "units": [{"id": "b1", "state": "%s"}]}
        ]}
        """.formatted(NOW, ID_A, stateOfA, ID_B, stateOfB);
  }

  /** Writes {@code content} to a temporary file and renames it over the adapter file. */
  private void replace(String content) throws IOException {
    Path temporary = directory.resolve(".units.json.new");
    Files.writeString(temporary, content, StandardCharsets.UTF_8);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private static String stateOf(SnapshotStore store, String instanceId) {
    List<UnitSnapshot> units = store.get(instanceId).units();
    return units.isEmpty() ? "none" : units.get(0).state().label();
  }

  @Nested
  class WithPoller {

    @Test
    void renameTriggersPoll() throws Exception {
      replace(document("kms-initialized", "kms-initialized"));
      SnapshotStore store = startPolling(instance(ID_A, file));
      assertThat(stateOf(store, ID_A)).isEqualTo("kms-initialized");

      replace(document("maintenance", "kms-initialized"));

      await().atMost(WAIT).until(() -> stateOf(store, ID_A).equals("maintenance"));
      assertThat(store.get(ID_A).up()).isTrue();
      assertThat(failures).isEmpty();
    }

    @Test
    void partialWriteOfOtherFileIsIgnored() throws Exception {
      replace(document("kms-initialized", "kms-initialized"));
      SnapshotStore store = startPolling(instance(ID_A, file));

      try (CapturedLogs logs = new CapturedLogs()) {
        Path partial = directory.resolve(".units.json.partial");
        Files.writeString(partial, document("maintenance", "kms-initialized").substring(0, 40));
        replace(document("zeroized", "kms-initialized"));

        await().atMost(WAIT).until(() -> stateOf(store, ID_A).equals("zeroized"));
        assertThat(failures).isEmpty();
        assertThat(store.get(ID_A).up()).isTrue();
        assertThat(logs.messages(Level.DEBUG))
            .filteredOn(message -> message.startsWith("Adapter file changed"))
            .isNotEmpty()
            .allMatch(message -> message.contains("path=" + file + " "));
      }
    }

    @Test
    void deletionFailsPollAsSourceUnavailable() throws Exception {
      replace(document("kms-initialized", "kms-initialized"));
      SnapshotStore store = startPolling(instance(ID_A, file));

      Files.delete(file);

      await().atMost(WAIT).until(() -> !store.get(ID_A).up());
      InstanceSnapshot failed = store.get(ID_A);
      assertThat(failed.lastError()).isEqualTo(PollErrorReason.SOURCE_UNAVAILABLE);
      assertThat(failed.lastErrorMessage()).contains("not found");
      assertThat(stateOf(store, ID_A)).as("last good units kept").isEqualTo("kms-initialized");
      assertThat(failures).containsOnly(ID_A + ": source_unavailable");
      assertThat(watcher.running()).isTrue();
    }

    @Test
    void fileWrittenAgainAfterDeletionIsRead() throws Exception {
      replace(document("kms-initialized", "kms-initialized"));
      SnapshotStore store = startPolling(instance(ID_A, file));
      Files.delete(file);
      await().atMost(WAIT).until(() -> !store.get(ID_A).up());

      replace(document("maintenance", "kms-initialized"));

      await().atMost(WAIT).until(() -> store.get(ID_A).up());
      assertThat(stateOf(store, ID_A)).isEqualTo("maintenance");
    }

    @Test
    void sharedFileRefreshesEveryInstance() throws Exception {
      replace(document("kms-initialized", "kms-initialized"));
      SnapshotStore store = startPolling(instance(ID_A, file),
          instance(ID_B, directory.resolve("other/../units.json")));

      replace(document("maintenance", "zeroized"));

      await().atMost(WAIT).until(() -> stateOf(store, ID_A).equals("maintenance"));
      await().atMost(WAIT).until(() -> stateOf(store, ID_B).equals("zeroized"));
      assertThat(failures).isEmpty();
    }
  }

  @Nested
  class Lifecycle {

    private final List<String> requested = new CopyOnWriteArrayList<>();

    @Test
    void changeRequestsPollOfEachInstance() throws Exception {
      watcher = AdapterFileWatcher.start(
          List.of(instance(ID_A, file), instance(ID_B, file)), requested::add);

      replace(document("kms-initialized", "kms-initialized"));

      await().atMost(WAIT).until(() -> requested.contains(ID_A) && requested.contains(ID_B));
    }

    @Test
    void closeStopsThread() {
      watcher = AdapterFileWatcher.start(List.of(instance(ID_A, file)), requested::add);
      assertThat(watcher.running()).isTrue();

      try (CapturedLogs logs = new CapturedLogs()) {
        watcher.close();

        await().atMost(WAIT).until(() -> !watcher.running());
        assertThat(logs.messages(Level.INFO)).contains("Adapter file watcher stopped");
      }
    }

    @Test
    void noFileSourceStartsNothing() {
      InstanceConfig api =
          new InstanceConfig(ID_A, "", "us-south", false, URI.create("http://127.0.0.1:1"));

      try (CapturedLogs logs = new CapturedLogs()) {
        watcher = AdapterFileWatcher.start(List.of(api), requested::add);

        assertThat(watcher.running()).isFalse();
        assertThat(logs.messages(Level.INFO)).isEmpty();
        assertThat(logs.messages(Level.WARN)).isEmpty();
      }
    }

    @Test
    void missingDirectoryLogsOneWarning() {
      Path missing = directory.resolve("missing");

      try (CapturedLogs logs = new CapturedLogs()) {
        watcher = AdapterFileWatcher.start(List.of(instance(ID_A, missing.resolve("a.json")),
            instance(ID_B, missing.resolve("b.json"))), requested::add);

        assertThat(watcher.running()).isFalse();
        assertThat(logs.messages(Level.WARN)).containsExactly("Adapter file directory not"
            + " watched, so its files are read at each poll only path=" + missing
            + " error=\"not found\"");
      }
    }

    @Test
    void unwatchableDirectoryLeavesOthersWatched() throws Exception {
      Path missing = directory.resolve("missing");

      try (CapturedLogs logs = new CapturedLogs()) {
        watcher = AdapterFileWatcher.start(List.of(instance(ID_A, file),
            instance(ID_B, missing.resolve("b.json"))), requested::add);
        replace(document("kms-initialized", "kms-initialized"));

        await().atMost(WAIT).until(() -> requested.contains(ID_A));
        assertThat(requested).doesNotContain(ID_B);
        assertThat(logs.messages(Level.WARN)).hasSize(1);
      }
    }

    @Test
    void missingWatchServiceLogsOneWarning() {
      try (CapturedLogs logs = new CapturedLogs()) {
        watcher = AdapterFileWatcher.start(List.of(instance(ID_A, file)), requested::add,
            AdapterFileWatcher.DEBOUNCE, () -> {
              throw new IOException("User limit of inotify instances reached or too many open"
                  + " files");
            });

        assertThat(watcher.running()).isFalse();
        assertThat(logs.messages(Level.WARN)).singleElement().asString()
            .startsWith("Adapter files not watched, so they are read at each poll only")
            .contains(file.toString())
            .contains("User limit of inotify instances");
      }
    }

    @Test
    void failedPollRequestIsLoggedOncePerInterval() throws Exception {
      AtomicInteger calls = new AtomicInteger();
      try (CapturedLogs logs = new CapturedLogs()) {
        watcher = AdapterFileWatcher.start(List.of(instance(ID_A, file)), id -> {
          calls.incrementAndGet();
          throw new IllegalStateException("poller closed");
        });

        replace(document("kms-initialized", "kms-initialized"));
        await().atMost(WAIT).until(() -> calls.get() >= 1);
        replace(document("maintenance", "kms-initialized"));
        await().atMost(WAIT).until(() -> calls.get() >= 2);

        assertThat(logs.messages(Level.WARN)).singleElement().asString()
            .contains("path=" + file)
            .contains("instance_id=" + ID_A);
        assertThat(watcher.running()).isTrue();
      }
    }
  }
}
