package io.github.keyprotectexporter.config;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the IBM Cloud API key from the environment variable or the file named in {@link
 * IamSettings}.
 *
 * <pre>{@code
 * Secret apiKey = new ApiKeyLoader().load(config.iam());
 * }</pre>
 *
 * <p>Whitespace and line breaks around the key are removed. Errors name the variable or the file
 * and the fix, and never contain the key or any part of the file.
 */
public final class ApiKeyLoader {

  /** Largest API key file read; IBM Cloud API keys are 44 characters long. */
  public static final int MAX_FILE_BYTES = 4096;

  private static final Logger logger = LoggerFactory.getLogger(ApiKeyLoader.class);
  private static final Set<PosixFilePermission> SHARED_READ =
      Set.of(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

  private final Map<String, String> environment;

  /** Creates a loader that reads the environment of this process. */
  public ApiKeyLoader() {
    this(System.getenv());
  }

  /** Creates a loader that reads the given environment instead of the process's own. */
  public ApiKeyLoader(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /**
   * Returns the API key. When neither a variable nor a file is set, the key comes from {@link
   * IamSettings#DEFAULT_API_KEY_ENV}.
   *
   * @throws ConfigException if the variable is unset or empty, or the file is missing, unreadable,
   *     empty, larger than {@link #MAX_FILE_BYTES} or contains whitespace inside the key
   * @throws IllegalArgumentException if both a variable and a file are set
   */
  public Secret load(IamSettings iam) throws ConfigException {
    Objects.requireNonNull(iam, "iam");
    if (iam.apiKeyEnv() != null && iam.apiKeyFile() != null) {
      throw new IllegalArgumentException("Set either apiKeyEnv or apiKeyFile, not both");
    }
    if (iam.apiKeyFile() != null) {
      return fromFile(iam.apiKeyFile());
    }
    return fromEnvironment(
        iam.apiKeyEnv() == null ? IamSettings.DEFAULT_API_KEY_ENV : iam.apiKeyEnv());
  }

  private Secret fromEnvironment(String name) throws ConfigException {
    String value = environment.get(name);
    String where = "environment variable " + shown(name, "iam.api_key_env");
    if (value == null) {
      throw new ConfigException(
          where
              + " is not set. Set it to the IBM Cloud API key of the exporter, or name another"
              + " variable in iam.api_key_env or a file in iam.api_key_file");
    }
    return checked(value, where, "Set it to the IBM Cloud API key alone");
  }

  private Secret fromFile(Path file) throws ConfigException {
    String where = "API key file " + shown(file, "iam.api_key_file");
    byte[] bytes = readBounded(file, where);
    if (bytes.length > MAX_FILE_BYTES) {
      throw new ConfigException(
          where
              + " is larger than "
              + MAX_FILE_BYTES
              + " bytes, too large"
              + " for an API key. Check iam.api_key_file and put only the key into the file");
    }
    warnIfShared(file, where);
    // ISO-8859-1 maps each byte to one character, so a byte outside printable ASCII is caught.
    return checked(
        new String(bytes, StandardCharsets.ISO_8859_1),
        where,
        "Put only the API key into the file");
  }

  // The IOException is not attached as cause: its message repeats the path, which may be a key.
  private static byte[] readBounded(Path file, String where) throws ConfigException {
    if (Files.isDirectory(file)) {
      throw new ConfigException(
          where + " is a directory. Name the file inside it in iam.api_key_file");
    }
    if (Files.exists(file) && !Files.isRegularFile(file)) {
      throw new ConfigException(
          where + " is not a regular file. Name a plain file in iam.api_key_file");
    }
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(MAX_FILE_BYTES + 1);
    } catch (NoSuchFileException e) {
      throw new ConfigException(
          where
              + " not found. Create it with the API key as its only"
              + " content, or correct iam.api_key_file");
    } catch (AccessDeniedException e) {
      throw new ConfigException(
          where
              + " cannot be read, permission denied. Give the user that"
              + " runs the exporter read access to it");
    } catch (IOException e) {
      String reason =
          e instanceof FileSystemException failure ? failure.getReason() : e.getMessage();
      throw new ConfigException(where + " cannot be read: " + reason);
    }
  }

  private static Secret checked(String raw, String where, String fix) throws ConfigException {
    String key = raw.strip();
    if (key.isEmpty()) {
      throw new ConfigException(where + " is empty. " + fix);
    }
    if (key.chars().anyMatch(c -> c <= ' ' || c > '~')) {
      throw new ConfigException(
          where
              + " contains whitespace, a line break or a character that"
              + " cannot be in an API key (the value is not shown). "
              + fix
              + ", on one line");
    }
    return new Secret(key);
  }

  // A key pasted where its variable name or file path belongs would otherwise be echoed.
  private static String shown(String name, String key) {
    return Echo.looksLikeApiKey(name)
        ? "named in " + key + " (not shown: it looks like a key)"
        : name;
  }

  private static String shown(Path file, String key) {
    Path name = file.getFileName();
    return name != null && Echo.looksLikeApiKey(name.toString())
        ? shown(name.toString(), key)
        : file.toString();
  }

  private static void warnIfShared(Path file, String where) {
    Set<PosixFilePermission> permissions;
    try {
      permissions = Files.getPosixFilePermissions(file);
    } catch (UnsupportedOperationException | IOException e) {
      // Not a POSIX file system, or the mode cannot be read: nothing to warn about.
      return;
    }
    if (permissions.stream().anyMatch(SHARED_READ::contains)) {
      logger.warn(
          "{} is readable by group or others (mode {}). Restrict it, for example with chmod 600",
          where,
          PosixFilePermissions.toString(permissions));
    }
  }
}
