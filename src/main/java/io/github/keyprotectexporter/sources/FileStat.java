package io.github.keyprotectexporter.sources;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;

/**
 * The attributes that identify one version of a file: its inode (or the platform's file key), size, modification
 * time and, where the platform reports it, the inode change time. A file replaced by a rename gets
 * a new inode, and a file written in place a new modification and change time.
 */
record FileStat(Object fileKey, long size, FileTime lastModified, Object changeTime) {

  /**
   * Reads the attributes of {@code path}, following symbolic links.
   *
   * @throws IOException when the file is missing or cannot be read
   */
  static FileStat of(Path path) throws IOException {
    BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class);
    return new FileStat(
        attributes.fileKey(), attributes.size(), attributes.lastModifiedTime(), changeTime(path));
  }

  private static Object changeTime(Path path) {
    try {
      return Files.getAttribute(path, "unix:ctime");
    } catch (UnsupportedOperationException | IllegalArgumentException | IOException e) {
      // Not a POSIX file system: the other attributes still tell most changes apart.
      return null;
    }
  }
}
