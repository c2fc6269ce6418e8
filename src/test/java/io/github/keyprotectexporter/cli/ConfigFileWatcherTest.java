package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The config file watcher on a real directory. */
class ConfigFileWatcherTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  @TempDir Path directory;
  private Path file;
  private final AtomicInteger reloads = new AtomicInteger();
  private ConfigFileWatcher watcher;

  @BeforeEach
  void start() throws IOException {
    file = directory.resolve("keyprotect-exporter.yml");
    Files.writeString(file, "instances: []\n");
    watcher = ConfigFileWatcher.start(file, reloads::incrementAndGet);
  }

  @AfterEach
  void stop() {
    watcher.close();
  }

  /** Writes a temporary file and renames it over the config file, as many editors do. */
  private void replace(String content) throws IOException {
    Path temporary = directory.resolve(".keyprotect-exporter.yml.swp");
    Files.writeString(temporary, content);
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void renameOverFileReloads() throws Exception {
    replace("instances: [{id: a}]\n");

    await().atMost(BOUND).until(() -> reloads.get() == 1);
  }

  @Test
  void inPlaceWriteReloads() throws Exception {
    Files.writeString(file, "instances: [{id: b}]\n");

    await().atMost(BOUND).until(() -> reloads.get() == 1);
  }

  @Test
  void sameContentDoesNotReload() throws Exception {
    replace("instances: []\n");
    await().atMost(BOUND).until(() -> watcher.contentChecks() >= 1);
    int checks = watcher.contentChecks();

    Files.writeString(directory.resolve("notes.txt"), "unrelated\n");
    await().atMost(BOUND).until(() -> watcher.contentChecks() > checks);

    assertThat(reloads).hasValue(0);
  }

  @Test
  void deletedThenRecreatedFileReloads() throws Exception {
    Files.delete(file);
    await().atMost(BOUND).until(() -> reloads.get() == 1);

    Files.writeString(file, "instances: []\n");

    // The missing file counted as a change, and so does its return.
    await().atMost(BOUND).until(() -> reloads.get() == 2);
  }

  @Test
  void closedWatcherStopsReloading() throws Exception {
    watcher.close();

    replace("instances: [{id: c}]\n");
    // A second watcher sees the change, so the first one had the same chance.
    AtomicInteger otherReloads = new AtomicInteger();
    try (ConfigFileWatcher other = ConfigFileWatcher.start(file, otherReloads::incrementAndGet)) {
      replace("instances: [{id: d}]\n");
      await().atMost(BOUND).until(() -> otherReloads.get() == 1);
    }

    assertThat(reloads).hasValue(0);
  }
}
