package io.github.keyprotectexporter.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The TLS versions of {@code min_version} and {@code max_version}, oldest first. */
public enum TlsVersion {
  TLS10("TLSv1"),
  TLS11("TLSv1.1"),
  TLS12("TLSv1.2"),
  TLS13("TLSv1.3");

  private final String protocol;

  TlsVersion(String protocol) {
    this.protocol = protocol;
  }

  /** Returns the JSSE protocol name, such as {@code TLSv1.3}. */
  public String protocol() {
    return protocol;
  }

  /** Returns the JSSE protocol names from {@code min} to {@code max}, both included. */
  public static List<String> protocolsBetween(TlsVersion min, TlsVersion max) {
    return Arrays.stream(values())
        .filter(version -> version.compareTo(min) >= 0 && version.compareTo(max) <= 0)
        .map(TlsVersion::protocol)
        .toList();
  }

  static Optional<TlsVersion> fromConfigName(String name) {
    return Arrays.stream(values()).filter(version -> version.name().equals(name)).findFirst();
  }

  static List<String> configNames() {
    return Arrays.stream(values()).map(TlsVersion::name).toList();
  }
}
