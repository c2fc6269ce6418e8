package io.github.keyprotectexporter.metrics;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Version and revision of the running exporter, read from the manifest of its jar.
 *
 * @param version the {@code Implementation-Version} entry, or {@value #UNKNOWN}
 * @param revision the {@code Build-Revision} entry, or {@value #UNKNOWN}
 */
public record BuildInfo(String version, String revision) {

  public static final String UNKNOWN = "unknown";

  private static final Logger logger = LoggerFactory.getLogger(BuildInfo.class);

  public BuildInfo {
    version = orUnknown(version);
    revision = orUnknown(revision);
  }

  /**
   * Reads the manifest of the jar that contains {@code type}. Returns {@value #UNKNOWN} values when
   * the class was not loaded from a jar, as in tests run from a class folder.
   */
  public static BuildInfo ofJarContaining(Class<?> type) {
    Path jar = jarPath(type);
    if (jar == null) {
      return fromManifest(null);
    }
    try (JarFile jarFile = new JarFile(jar.toFile())) {
      return fromManifest(jarFile.getManifest());
    } catch (IOException e) {
      logger.debug("Failed to read the manifest of {}: {}", jar, e.toString());
      return fromManifest(null);
    }
  }

  /** Reads the two entries from a manifest, which may be null. */
  public static BuildInfo fromManifest(Manifest manifest) {
    if (manifest == null) {
      return new BuildInfo(null, null);
    }
    Attributes main = manifest.getMainAttributes();
    return new BuildInfo(
        main.getValue(Attributes.Name.IMPLEMENTATION_VERSION), main.getValue("Build-Revision"));
  }

  private static Path jarPath(Class<?> type) {
    CodeSource source = type.getProtectionDomain().getCodeSource();
    URL location = source == null ? null : source.getLocation();
    if (location == null || !"file".equals(location.getProtocol())) {
      return null;
    }
    try {
      Path path = Path.of(location.toURI());
      return Files.isRegularFile(path) ? path : null;
    } catch (URISyntaxException | IllegalArgumentException e) {
      logger.debug(
          "Failed to locate the jar of {} at {}: {}", type.getName(), location, e.toString());
      return null;
    }
  }

  private static String orUnknown(String value) {
    return value == null || value.isBlank() ? UNKNOWN : value.strip();
  }
}
