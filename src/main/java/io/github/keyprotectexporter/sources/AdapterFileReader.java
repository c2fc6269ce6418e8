package io.github.keyprotectexporter.sources;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one adapter file for every instance that points at it, parsing it once per change. Each
 * call checks the file's attributes ({@link FileStat}) and reads it again when they changed or when
 * the last read is older than {@code maxCacheAge}, so a change is seen at the next poll and the
 * file is read at least once per poll interval. Thread-safe.
 *
 * <p>Writers must replace the file by renaming a complete file over it. As a second line of
 * defence, a file whose attributes change while it is being read is read again, and an empty or
 * cut-short file is an error, never an empty list of units.
 */
final class AdapterFileReader {

  /** Maximum size of an adapter file, enough for thousands of instances. */
  static final long MAX_FILE_BYTES = 8L * 1024 * 1024;

  private static final int MAX_READ_ATTEMPTS = 3;
  private static final Logger logger = LoggerFactory.getLogger(AdapterFileReader.class);

  /** The result of reading one version of the file: a document or the failure it caused. */
  private record Cached(FileStat stat, Instant readAt, AdapterDocument document,
      PollErrorReason failureReason, String failureMessage) {}

  private final Path path;
  private final long maxBytes;
  private final Duration maxCacheAge;
  private final Clock clock;
  private Cached cached;

  AdapterFileReader(Path path, long maxBytes, Duration maxCacheAge, Clock clock) {
    this.path = Objects.requireNonNull(path, "path");
    this.maxBytes = maxBytes;
    this.maxCacheAge = Objects.requireNonNull(maxCacheAge, "maxCacheAge");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  Path path() {
    return path;
  }

  /**
   * Returns the document in the file, read again only when the file changed or the last read is
   * older than the maximum cache age.
   *
   * @throws PollException with {@link PollErrorReason#SOURCE_UNAVAILABLE} when the file is missing
   *     or unreadable, {@link PollErrorReason#OUTPUT_TOO_LARGE} above the size limit, and {@link
   *     PollErrorReason#BAD_OUTPUT} when it is not a complete adapter document
   */
  synchronized AdapterDocument read() throws PollException {
    FileStat stat = stat();
    Instant now = clock.instant();
    if (cached == null || !cached.stat().equals(stat)
        || !now.isBefore(cached.readAt().plus(maxCacheAge))) {
      cached = readVersion(stat, now);
    }
    if (cached.document() == null) {
      throw new PollException(cached.failureReason(), cached.failureMessage());
    }
    return cached.document();
  }

  private Cached readVersion(FileStat stat, Instant now) throws PollException {
    FileStat before = stat;
    for (int attempt = 1; attempt <= MAX_READ_ATTEMPTS; attempt++) {
      byte[] content = readBytes();
      FileStat after = stat();
      if (after.equals(before)) {
        return parse(content, after, now);
      }
      logger.debug("Adapter file changed while it was read path={} attempt={}", path, attempt);
      before = after;
    }
    return failure(before, now, PollErrorReason.BAD_OUTPUT, path + ": changed while it was"
        + " being read, " + MAX_READ_ATTEMPTS + " times in a row. Writers must write a temporary"
        + " file in the same directory and rename it over this one");
  }

  private Cached parse(byte[] content, FileStat stat, Instant now) {
    if (content.length > maxBytes) {
      return failure(stat, now, PollErrorReason.OUTPUT_TOO_LARGE, path + ": larger than "
          + maxBytes + " bytes, far larger than an adapter document needs. Check the path");
    }
    try {
      AdapterDocument document = AdapterDocumentParser.parse(decode(content), path.toString());
      logger.debug("Adapter file read path={} bytes={} instances={} generated_at={}", path,
          content.length, document.instanceIds().size(), document.generatedAt());
      return new Cached(stat, now, document, null, null);
    } catch (PollException e) {
      return failure(stat, now, e.reason(), e.getMessage());
    }
  }

  private String decode(byte[] content) throws PollException {
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      throw new PollException(PollErrorReason.BAD_OUTPUT,
          path + ": not UTF-8 text. Write the adapter document in UTF-8");
    }
  }

  private static Cached failure(FileStat stat, Instant now, PollErrorReason reason,
      String message) {
    return new Cached(stat, now, null, reason, message);
  }

  private byte[] readBytes() throws PollException {
    try (InputStream in = Files.newInputStream(path)) {
      return in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  private FileStat stat() throws PollException {
    if (Files.isDirectory(path)) {
      throw new PollException(PollErrorReason.SOURCE_UNAVAILABLE,
          path + ": is a directory. Give the path of the adapter file in source.path");
    }
    // Opening a named pipe blocks until a writer appears, which would hold a poll worker for good.
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      throw new PollException(PollErrorReason.SOURCE_UNAVAILABLE, path + ": is not a regular"
          + " file, such as a named pipe or a device. Give the path of the adapter file in"
          + " source.path");
    }
    try {
      return FileStat.of(path);
    } catch (IOException e) {
      throw unavailable(e);
    }
  }

  // The IOException is not kept as cause, because its message repeats the path and reason.
  private PollException unavailable(IOException e) {
    String problem;
    if (e instanceof NoSuchFileException) {
      problem = "not found. Check source.path and that the adapter or job that writes it runs";
    } else if (e instanceof AccessDeniedException) {
      problem = "cannot be read, permission denied. Give the user that runs the agent read"
          + " access";
    } else {
      String reason =
          e instanceof FileSystemException failure ? failure.getReason() : e.getMessage();
      problem = "cannot be read: " + reason;
    }
    return new PollException(PollErrorReason.SOURCE_UNAVAILABLE, path + ": " + problem);
  }
}
