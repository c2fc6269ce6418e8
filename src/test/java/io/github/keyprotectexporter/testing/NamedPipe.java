package io.github.keyprotectexporter.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A named pipe (FIFO) made with {@code mkfifo}, with a writer thread that writes a text to each
 * reader that opens the pipe. Code that wrongly opens the pipe then reads the text instead of
 * hanging, so a test sees the wrong outcome as a failure. Tests using it are skipped where {@code
 * mkfifo} is missing.
 */
public final class NamedPipe implements AutoCloseable {

  private final Path path;
  private final String text;
  private final Thread writer;
  private final AtomicInteger reads = new AtomicInteger();
  private volatile boolean closed;

  private NamedPipe(Path path, String text) {
    this.path = path;
    this.text = text;
    this.writer = new Thread(this::serveReaders, "named-pipe-writer");
    writer.setDaemon(true);
    writer.start();
  }

  /** Creates the pipe at {@code path} and starts a writer that writes {@code text} to readers. */
  public static NamedPipe create(Path path, String text) throws IOException, InterruptedException {
    int exitCode;
    try {
      exitCode = new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor();
    } catch (IOException e) {
      exitCode = -1;
    }
    assumeTrue(exitCode == 0 && Files.exists(path), "mkfifo is not available");
    return new NamedPipe(path, text);
  }

  /** Returns true when a reader opened the pipe and was sent the text. */
  public boolean wasRead() {
    return reads.get() > 0;
  }

  /**
   * Stops the writer. Opening the pipe for reading and writing at once never blocks on Linux and
   * releases a writer that waits for a reader.
   */
  @Override
  public void close() throws IOException, InterruptedException {
    closed = true;
    while (writer.isAlive()) {
      try (FileChannel release = FileChannel.open(path, StandardOpenOption.READ,
          StandardOpenOption.WRITE)) {
        writer.join(100);
      }
    }
  }

  private void serveReaders() {
    while (!closed) {
      // Opening the pipe for writing blocks until a reader opens it.
      try (OutputStream out = Files.newOutputStream(path)) {
        if (closed) {
          return;
        }
        out.write(text.getBytes(StandardCharsets.UTF_8));
        reads.incrementAndGet();
      } catch (IOException e) {
        // The reader closed the pipe early; the next reader gets the text again.
      }
    }
  }
}
