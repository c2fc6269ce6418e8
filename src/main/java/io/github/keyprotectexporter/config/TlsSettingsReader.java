package io.github.keyprotectexporter.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;

/** Reads the {@code tls_server_config} section of a web config file. */
final class TlsSettingsReader {

  static final List<String> KEYS = List.of("cert_file", "key_file", "client_auth_type",
      "client_ca_file", "client_allowed_sans", "min_version", "max_version", "cipher_suites",
      "prefer_server_cipher_suites");

  /** Keys of the exporter-toolkit format that this agent rejects, with the reason and the fix. */
  static final Map<String, String> UNSUPPORTED = Map.of(
      "cert", "inline certificates are not supported (value not shown). Write the PEM text to a"
          + " file and name it in cert_file",
      "key", "inline keys are not supported (value not shown). Write the PEM text to a file that"
          + " only the agent's user can read, and name it in key_file",
      "client_ca", "inline CA certificates are not supported (value not shown). Write the PEM"
          + " text to a file and name it in client_ca_file",
      "curve_preferences", "is not supported, because Java 17 sets the key exchange groups only"
          + " for the whole JVM. Remove it, and start Java with"
          + " -Djdk.tls.namedGroups=x25519,secp256r1 (for example) instead");

  private final Path directory;

  TlsSettingsReader(Path directory) {
    this.directory = directory;
  }

  Optional<TlsServerSettings> read(ConfigNode node) {
    if (!node.isMapping(KEYS)) {
      if (!node.isAbsent() && node.isAbsentOrNull()) {
        node.error("is empty. Set cert_file and key_file, or remove tls_server_config to serve"
            + " plain HTTP");
      }
      return Optional.empty();
    }
    node.allowOnlyKeys(KEYS, UNSUPPORTED);
    Optional<Path> cert = requiredFile(node.get("cert_file"));
    Optional<Path> key = requiredFile(node.get("key_file"));
    ClientAuthType clientAuth = clientAuth(node.get("client_auth_type"));
    Path clientCa = clientCaFile(node.get("client_ca_file"), clientAuth);
    List<String> sans = allowedSans(node.get("client_allowed_sans"), clientAuth);
    TlsVersion min = version(node.get("min_version"), TlsVersion.TLS12);
    TlsVersion max = version(node.get("max_version"), TlsVersion.TLS13);
    if (min.compareTo(max) > 0) {
      node.get("min_version").error("min_version " + min + " is above max_version " + max
          + ". Lower min_version or raise max_version");
    } else {
      checkEnabled(node.get("min_version"), min, max);
    }
    List<String> suites = cipherSuites(node.get("cipher_suites"));
    boolean preferServer = node.get("prefer_server_cipher_suites").bool(true);
    if (cert.isEmpty() || key.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new TlsServerSettings(cert.get(), key.get(), clientAuth, clientCa, min,
        max, suites, preferServer, sans));
  }

  private Optional<Path> requiredFile(ConfigNode node) {
    if (node.isAbsentOrNull()) {
      node.error("missing. tls_server_config needs both cert_file and key_file");
      return Optional.empty();
    }
    return file(node);
  }

  private Optional<Path> file(ConfigNode node) {
    Optional<String> text = node.text("a file path");
    if (text.isEmpty()) {
      return Optional.empty();
    }
    if (text.get().isBlank()) {
      node.error("is empty. Give the path of a PEM file");
      return Optional.empty();
    }
    try {
      return Optional.of(directory.resolve(text.get()).normalize());
    } catch (InvalidPathException e) {
      node.error("invalid path " + Echo.quote(text.get()) + ": " + e.getReason());
      return Optional.empty();
    }
  }

  private static ClientAuthType clientAuth(ConfigNode node) {
    Optional<String> text = node.text("a client auth type");
    if (text.isEmpty() || text.get().isEmpty()) {
      return ClientAuthType.NO_CLIENT_CERT;
    }
    Optional<ClientAuthType> type = ClientAuthType.fromConfigName(text.get());
    if (type.isEmpty()) {
      node.error("invalid client auth type " + Echo.quote(text.get()) + ". Use one of: "
          + String.join(", ", ClientAuthType.configNames()));
      return ClientAuthType.NO_CLIENT_CERT;
    }
    return type.get();
  }

  private Path clientCaFile(ConfigNode node, ClientAuthType clientAuth) {
    Path file = node.isAbsentOrNull() ? null : file(node).orElse(null);
    if (file == null && clientAuth.verified() && node.isAbsentOrNull()) {
      node.error("missing. client_auth_type " + clientAuth.configName()
          + " verifies client certificates and needs the CA certificates in client_ca_file");
    } else if (file != null && !clientAuth.requested()) {
      node.error("is set, but client_auth_type is " + clientAuth.configName()
          + ", so no client certificate is requested. Set client_auth_type to"
          + " RequireAndVerifyClientCert");
    } else if (file != null && !clientAuth.verified()) {
      node.warn("is not used, because client_auth_type " + clientAuth.configName()
          + " does not verify client certificates. Use RequireAndVerifyClientCert to verify");
    }
    return file;
  }

  private static List<String> allowedSans(ConfigNode node, ClientAuthType clientAuth) {
    if (node.isAbsentOrNull()) {
      return List.of();
    }
    List<String> sans = strings(node, "a list of subject alternative names");
    if (!sans.isEmpty() && !clientAuth.required()) {
      node.error("needs client_auth_type RequireAndVerifyClientCert or RequireAnyClientCert,"
          + " because with " + clientAuth.configName()
          + " a client may send no certificate and so no name to match");
    }
    return sans;
  }

  private static TlsVersion version(ConfigNode node, TlsVersion fallback) {
    Optional<String> text = node.text("a TLS version");
    if (text.isEmpty()) {
      return fallback;
    }
    Optional<TlsVersion> version = TlsVersion.fromConfigName(text.get());
    if (version.isEmpty()) {
      node.error("unknown TLS version " + Echo.quote(text.get()) + ". Use one of: "
          + String.join(", ", TlsVersion.configNames()));
      return fallback;
    }
    return version.get();
  }

  /**
   * Reports versions that the JVM's {@code jdk.tls.disabledAlgorithms} security property turns
   * off, as Java 17 does for TLS 1.0 and 1.1, because the server would not offer them.
   */
  private static void checkEnabled(ConfigNode node, TlsVersion min, TlsVersion max) {
    String property = Security.getProperty("jdk.tls.disabledAlgorithms");
    Set<String> disabled = property == null ? Set.of() : Arrays.stream(property.split(","))
        .map(String::strip)
        .collect(Collectors.toSet());
    List<String> off = Arrays.stream(TlsVersion.values())
        .filter(version -> version.compareTo(min) >= 0 && version.compareTo(max) <= 0)
        .filter(version -> disabled.contains(version.protocol()))
        .map(TlsVersion::name)
        .toList();
    if (off.isEmpty()) {
      return;
    }
    String where = "disabled in this JVM by the security property jdk.tls.disabledAlgorithms";
    if (off.size() == max.ordinal() - min.ordinal() + 1) {
      node.error("every version from " + min + " to " + max + " is " + where
          + ". Use TLS12 or TLS13");
    } else {
      node.warn(String.join(", ", off) + " are " + where + ", so the server does not offer"
          + " them");
    }
  }

  private static List<String> cipherSuites(ConfigNode node) {
    if (node.isAbsentOrNull()) {
      return List.of();
    }
    Set<String> supported = supportedCipherSuites();
    List<String> suites = new ArrayList<>();
    List<ConfigNode> elements = node.elements("a list of cipher suite names");
    for (ConfigNode element : elements) {
      Optional<String> name = element.text("a cipher suite name");
      if (name.isEmpty()) {
        continue;
      }
      Optional<String> jdkName = jdkCipherSuite(name.get(), supported);
      if (jdkName.isEmpty()) {
        element.error("unknown cipher suite " + Echo.quote(name.get())
            + ". Use an IANA name that this JDK supports, such as"
            + " TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256");
        continue;
      }
      suites.add(jdkName.get());
    }
    return suites;
  }

  /**
   * Returns the JDK's name of a cipher suite. Go names the ChaCha20 suites without the {@code
   * _SHA256} that IANA and the JDK append, so exporter-toolkit files may use either.
   */
  private static Optional<String> jdkCipherSuite(String name, Set<String> supported) {
    if (supported.contains(name)) {
      return Optional.of(name);
    }
    if (name.endsWith("_CHACHA20_POLY1305") && supported.contains(name + "_SHA256")) {
      return Optional.of(name + "_SHA256");
    }
    return Optional.empty();
  }

  private static Set<String> supportedCipherSuites() {
    try {
      String[] suites = SSLContext.getDefault().getSupportedSSLParameters().getCipherSuites();
      return Arrays.stream(suites).collect(Collectors.toSet());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("The JDK has no default TLS implementation", e);
    }
  }

  private static List<String> strings(ConfigNode node, String expected) {
    List<String> values = new ArrayList<>();
    for (ConfigNode element : node.elements(expected)) {
      element.text("a string").ifPresent(values::add);
    }
    return values;
  }
}
