package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.TlsServerSettings;
import io.github.keyprotectexporter.config.TlsVersion;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds Jetty's server TLS setup from {@code tls_server_config}, reading the PEM files once. */
final class ServerTls {

  /** The TLS 1.3 suites, which cipher_suites does not restrict, as in Go. */
  private static final List<String> TLS13_SUITES = List.of(
      "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256");

  private static final Logger logger = LoggerFactory.getLogger(ServerTls.class);

  private ServerTls() {}

  /**
   * Reads the certificate chain, the key and the client CA, checks that the key belongs to the
   * certificate, and returns a configured factory.
   *
   * @param checkClientCertPerRequest true to only request the client certificate that the
   *     settings require, because {@link AccessControl} requires it for all but the health paths
   * @throws ConfigException naming the setting and file when a file is missing or invalid
   */
  static SslContextFactory.Server create(TlsServerSettings settings,
      boolean checkClientCertPerRequest) throws ConfigException {
    List<X509Certificate> chain = PemFiles.certificates(settings.certFile(), "cert_file");
    PrivateKey key = PemFiles.privateKey(settings.keyFile(), "key_file");
    checkKeyMatches(key, chain.get(0), settings);
    checkCipherSuitesFitKey(key, settings);
    warnIfOutsideValidity(chain.get(0), settings);
    List<X509Certificate> clientCas = settings.clientAuth().verified()
        ? PemFiles.certificates(settings.clientCaFile(), "client_ca_file")
        : List.of();

    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setSslContext(sslContext(chain, key, trustManager(settings, clientCas)));
    factory.setIncludeProtocols(
        TlsVersion.protocolsBetween(settings.minVersion(), settings.maxVersion())
            .toArray(String[]::new));
    if (!settings.cipherSuites().isEmpty()) {
      List<String> suites = new ArrayList<>(settings.cipherSuites());
      suites.addAll(TLS13_SUITES);
      factory.setIncludeCipherSuites(suites.toArray(String[]::new));
      // Jetty excludes some suites by default, but the list in the web config is taken as written.
      factory.setExcludeCipherSuites();
    }
    factory.setUseCipherSuitesOrder(settings.preferServerCipherSuites());
    boolean required = settings.clientAuth().required() && !checkClientCertPerRequest;
    factory.setNeedClientAuth(required);
    factory.setWantClientAuth(settings.clientAuth().requested() && !required);
    // Clients on loopback, such as the healthcheck command, use an address the certificate may
    // not name, so the host name is not checked against it.
    factory.setSniRequired(false);
    factory.setRenegotiationAllowed(false);
    return factory;
  }

  private static SSLContext sslContext(List<X509Certificate> chain, PrivateKey key,
      TrustManager trustManager) throws ConfigException {
    try {
      // The store exists only in memory, so its password only has to satisfy the API.
      char[] password = Long.toHexString(new SecureRandom().nextLong()).toCharArray();
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("server", key, password, chain.toArray(X509Certificate[]::new));
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, password);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keys.getKeyManagers(), new TrustManager[] {trustManager}, null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException("tls_server_config: the certificate and key cannot be used for"
          + " TLS: " + e.getClass().getSimpleName() + ". Check cert_file and key_file");
    }
  }

  private static X509TrustManager trustManager(TlsServerSettings settings,
      List<X509Certificate> clientCas) throws ConfigException {
    X509TrustManager base = settings.clientAuth().verified()
        ? caTrustManager(clientCas)
        : ClientCertificateTrust.ANY;
    return settings.clientAllowedSans().isEmpty()
        ? base
        : new ClientCertificateTrust(base, settings.clientAllowedSans());
  }

  private static X509TrustManager caTrustManager(List<X509Certificate> cas)
      throws ConfigException {
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("client-ca-" + i, cas.get(i));
      }
      TrustManagerFactory factory =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      factory.init(store);
      for (TrustManager manager : factory.getTrustManagers()) {
        if (manager instanceof X509TrustManager x509) {
          return x509;
        }
      }
      throw new GeneralSecurityException("no X.509 trust manager");
    } catch (GeneralSecurityException | IOException e) {
      throw new ConfigException("tls_server_config: client_ca_file cannot be used to verify"
          + " client certificates: " + e.getClass().getSimpleName());
    }
  }

  /**
   * Signs random bytes with the key and verifies them with the certificate, which works for
   * every key type without comparing key internals.
   */
  private static void checkKeyMatches(PrivateKey key, X509Certificate certificate,
      TlsServerSettings settings) throws ConfigException {
    PublicKey publicKey = certificate.getPublicKey();
    String mismatch = PemFiles.where(settings.keyFile(), "key_file")
        + "the private key does not match the certificate in cert_file " + settings.certFile()
        + ". Use the key the certificate was issued for";
    if (!key.getAlgorithm().equals(publicKey.getAlgorithm())) {
      throw new ConfigException(mismatch);
    }
    try {
      String algorithm = signatureAlgorithm(key);
      byte[] challenge = new byte[32];
      new SecureRandom().nextBytes(challenge);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(challenge);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(challenge);
      if (!verifier.verify(signature)) {
        throw new ConfigException(mismatch);
      }
    } catch (GeneralSecurityException e) {
      throw new ConfigException(mismatch);
    }
  }

  /**
   * Rejects a {@code cipher_suites} list that leaves TLS 1.2 and lower no suite for the key, when
   * TLS 1.3 is off too, because every handshake would then fail although the server starts. A
   * TLS 1.2 suite names the key type it signs with ({@code _RSA_} or {@code _ECDSA_}, which EdDSA
   * keys use too), and TLS 1.3 suites work with every key.
   */
  private static void checkCipherSuitesFitKey(PrivateKey key, TlsServerSettings settings)
      throws ConfigException {
    String keyType = switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
      case "RSA" -> "_RSA_";
      case "EC", "EDDSA", "ED25519", "ED448" -> "_ECDSA_";
      default -> null;
    };
    List<String> suites = settings.cipherSuites();
    if (suites.isEmpty() || keyType == null || settings.maxVersion() == TlsVersion.TLS13) {
      return;
    }
    boolean usable = suites.stream()
        .anyMatch(suite -> !TLS13_SUITES.contains(suite) && suite.contains(keyType));
    if (!usable) {
      throw new ConfigException("tls_server_config: cipher_suites has no suite for the "
          + key.getAlgorithm() + " key in key_file with max_version " + settings.maxVersion()
          + ", so every TLS handshake would fail. Add a TLS 1.2 suite with "
          + keyType.replace("_", "") + " in its name, such as " + exampleSuite(keyType)
          + ", or set max_version to TLS13");
    }
  }

  private static String exampleSuite(String keyType) {
    return keyType.equals("_RSA_")
        ? "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"
        : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
  }

  private static String signatureAlgorithm(PrivateKey key) {
    return switch (key.getAlgorithm().toUpperCase(Locale.ROOT)) {
      case "RSA" -> "SHA256withRSA";
      case "EC" -> "SHA256withECDSA";
      default -> key.getAlgorithm();
    };
  }

  private static void warnIfOutsideValidity(X509Certificate certificate,
      TlsServerSettings settings) {
    Instant now = Instant.now();
    Instant notAfter = certificate.getNotAfter().toInstant();
    Instant notBefore = certificate.getNotBefore().toInstant();
    if (now.isAfter(notAfter) || now.isBefore(notBefore)) {
      logger.warn("TLS certificate is not valid now, clients will reject it cert_file={}"
          + " not_before={} not_after={}", settings.certFile(), notBefore, notAfter);
    } else {
      logger.info("TLS certificate loaded cert_file={} subject=\"{}\" not_after={}",
          settings.certFile(), certificate.getSubjectX500Principal().getName(), notAfter);
    }
  }
}
