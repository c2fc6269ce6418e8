package io.github.keyprotectexporter.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Keeps the chain's logs and configs in {@code target/} and deletes its work directory. */
final class ChainLogs {

  private ChainLogs() {}

  static void keep(Path work, Path logs) throws IOException {
    Files.createDirectories(logs);
    try (Stream<Path> files = Files.list(work)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        Files.copy(file, logs.resolve(file.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
    List<Path> all;
    try (Stream<Path> tree = Files.walk(work)) {
      all = tree.sorted(Comparator.reverseOrder()).toList();
    }
    for (Path path : all) {
      try {
        Files.deleteIfExists(path);
      } catch (IOException e) {
        throw new UncheckedIOException("Cannot delete " + path, e);
      }
    }
  }
}
