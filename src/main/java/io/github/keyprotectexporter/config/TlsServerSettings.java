package io.github.keyprotectexporter.config;

import java.nio.file.Path;
import java.util.List;

/**
 * The {@code tls_server_config} section of a web config file. The files are only named here;
 * the web server reads them at start.
 *
 * @param certFile PEM file with the server certificate, optionally followed by its chain
 * @param keyFile PEM file with the private key of the server certificate
 * @param clientAuth whether and how clients must present a certificate
 * @param clientCaFile PEM file with the CA certificates that client certificates are checked
 *     against, null when client certificates are not verified
 * @param minVersion the lowest TLS version accepted
 * @param maxVersion the highest TLS version accepted
 * @param cipherSuites the JDK names of the cipher suites for TLS 1.2 and lower, empty for the
 *     JDK's defaults
 * @param preferServerCipherSuites whether the server's order of {@code cipherSuites} wins
 * @param clientAllowedSans subject alternative names of which a client certificate must contain
 *     one, empty to allow any
 */
public record TlsServerSettings(
    Path certFile,
    Path keyFile,
    ClientAuthType clientAuth,
    Path clientCaFile,
    TlsVersion minVersion,
    TlsVersion maxVersion,
    List<String> cipherSuites,
    boolean preferServerCipherSuites,
    List<String> clientAllowedSans) {

  public TlsServerSettings {
    cipherSuites = List.copyOf(cipherSuites);
    clientAllowedSans = List.copyOf(clientAllowedSans);
  }
}
