package io.github.keyprotectexporter.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildInfoTest {

  /** A class without dependencies, copied into a jar to be loaded from there. */
  static final class Marker {}

  @Test
  void readsManifestEntries() {
    Manifest manifest = manifest("1.2.3", "0123abcd");

    BuildInfo info = BuildInfo.fromManifest(manifest);

    assertThat(info).isEqualTo(new BuildInfo("1.2.3", "0123abcd"));
  }

  @Test
  void missingOrBlankEntriesAreUnknown() {
    Manifest manifest = manifest(" ", null);

    assertThat(BuildInfo.fromManifest(manifest))
        .isEqualTo(new BuildInfo(BuildInfo.UNKNOWN, BuildInfo.UNKNOWN));
    assertThat(BuildInfo.fromManifest(null))
        .isEqualTo(new BuildInfo(BuildInfo.UNKNOWN, BuildInfo.UNKNOWN));
  }

  @Test
  void classFolderGivesUnknown() {
    assertThat(BuildInfo.ofJarContaining(BuildInfoTest.class))
        .isEqualTo(new BuildInfo(BuildInfo.UNKNOWN, BuildInfo.UNKNOWN));
  }

  @Test
  void readsJarContainingClass(@TempDir Path folder) throws Exception {
    Path jar = folder.resolve("exporter.jar");
    String entry = Marker.class.getName().replace('.', '/') + ".class";
    try (OutputStream file = Files.newOutputStream(jar);
        JarOutputStream out = new JarOutputStream(file, manifest("0.9.0", "feedbeef"));
        InputStream classBytes = Marker.class.getClassLoader().getResourceAsStream(entry)) {
      out.putNextEntry(new JarEntry(entry));
      classBytes.transferTo(out);
      out.closeEntry();
    }

    try (URLClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, null)) {
      Class<?> loaded = loader.loadClass(Marker.class.getName());

      assertThat(BuildInfo.ofJarContaining(loaded))
          .isEqualTo(new BuildInfo("0.9.0", "feedbeef"));
    }
  }

  private static Manifest manifest(String version, String revision) {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    if (version != null) {
      main.put(Attributes.Name.IMPLEMENTATION_VERSION, version);
    }
    if (revision != null) {
      main.putValue("Build-Revision", revision);
    }
    return manifest;
  }
}
