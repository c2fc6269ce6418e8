package io.github.keyprotectexporter.http;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;

/**
 * Generates certificate authorities, certificates and PEM files for TLS tests with BouncyCastle,
 * and builds client TLS contexts from them.
 */
public final class TestPki {

  /** Key algorithms of the generated keys. */
  public enum Algorithm {
    RSA("RSA", 2048, "SHA256withRSA"),
    EC("EC", 256, "SHA256withECDSA");

    final String name;
    final int size;
    final String signature;

    Algorithm(String name, int size, String signature) {
      this.name = name;
      this.size = size;
      this.signature = signature;
    }
  }

  /** How a private key is written to its PEM file. */
  public enum KeyFormat {
    /** {@code PRIVATE KEY}. */
    PKCS8,
    /** {@code RSA PRIVATE KEY} or {@code EC PRIVATE KEY}, as OpenSSL writes them by default. */
    TRADITIONAL
  }

  private static final AtomicLong SERIALS = new AtomicLong(1);

  /** A certificate with its key and the chain a peer sends: leaf first, without the root. */
  public record Issued(X509Certificate certificate, KeyPair keys, List<X509Certificate> chain) {}

  private TestPki() {}

  public static Issued rootCa(String name) {
    KeyPair keys = keyPair(Algorithm.EC);
    X509Certificate certificate = sign(name, keys, "CN=" + name, keys, Algorithm.EC, true);
    return new Issued(certificate, keys, List.of(certificate));
  }

  public static Issued intermediateCa(Issued issuer, String name) {
    KeyPair keys = keyPair(Algorithm.EC);
    X509Certificate certificate = sign(name, keys, issuer, true, Algorithm.EC);
    return new Issued(certificate, keys, List.of(certificate));
  }

  /** Issues a leaf certificate for 127.0.0.1 and localhost, plus any extra DNS names. */
  public static Issued leaf(Issued issuer, String name, Algorithm algorithm, String... dnsNames) {
    KeyPair keys = keyPair(algorithm);
    X509Certificate certificate = sign(name, keys, issuer, false, algorithm, dnsNames);
    X509Certificate issuerCertificate = issuer.certificate();
    boolean issuedByRoot = issuerCertificate.getSubjectX500Principal()
        .equals(issuerCertificate.getIssuerX500Principal());
    // Clients know the root; an intermediate CA travels with the leaf.
    List<X509Certificate> chain = issuedByRoot
        ? List.of(certificate)
        : List.of(certificate, issuerCertificate);
    return new Issued(certificate, keys, chain);
  }

  /** Writes the certificate and its chain (leaf first) to a PEM file. */
  public static Path writeChain(Path file, Issued issued) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      for (X509Certificate certificate : issued.chain()) {
        pem.writeObject(certificate);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write(file, text.toString());
  }

  public static Path writeCertificate(Path file, X509Certificate certificate) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(certificate);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write(file, text.toString());
  }

  public static Path writeKey(Path file, KeyPair keys, KeyFormat format) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      if (format == KeyFormat.PKCS8) {
        pem.writeObject(new JcaPKCS8Generator(keys.getPrivate(), null));
      } else if (keys.getPrivate() instanceof ECPrivateKey ec) {
        pem.writeObject(new PemObject("EC PRIVATE KEY", sec1WithCurve(ec)));
      } else {
        pem.writeObject(keys.getPrivate());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write(file, text.toString());
  }

  /**
   * Writes the SEC1 key as OpenSSL does, with the curve in its parameters. BouncyCastle's PEM
   * writer leaves the curve out of a JDK key, which {@link #writeCurvelessEcKey} keeps for tests.
   */
  private static byte[] sec1WithCurve(ECPrivateKey key) throws IOException {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
    ASN1Encodable curve = info.getPrivateKeyAlgorithm().getParameters();
    int orderBits = key.getParams().getOrder().bitLength();
    return new org.bouncycastle.asn1.sec.ECPrivateKey(orderBits, key.getS(), curve).getEncoded();
  }

  /** Writes an EC key as BouncyCastle's PEM writer does: SEC1 without the curve. */
  public static Path writeCurvelessEcKey(Path file, KeyPair keys) {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter pem = new JcaPEMWriter(text)) {
      pem.writeObject(keys.getPrivate());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return write(file, text.toString());
  }

  public static Path write(Path file, String text) {
    try {
      return Files.writeString(file, text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Builds a client context that trusts {@code root} and, when {@code client} is not null,
   * presents that certificate.
   */
  public static SSLContext clientContext(X509Certificate root, Issued client) {
    try {
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("root", root);
      TrustManagerFactory trustManagers =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trustManagers.init(trust);
      KeyManager[] keyManagers = client == null
          ? new KeyManager[0]
          : new KeyManager[] {new PresentingKeyManager(client)};
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(keyManagers, trustManagers.getTrustManagers(), null);
      return context;
    } catch (GeneralSecurityException | IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Presents its certificate whatever CAs the server names. The JDK's own key manager sends no
   * certificate when the server names another CA, which would hide the server's check.
   */
  private static final class PresentingKeyManager extends X509ExtendedKeyManager {

    private static final String ALIAS = "client";
    private final Issued client;

    PresentingKeyManager(Issued client) {
      this.client = client;
    }

    @Override
    public String chooseEngineClientAlias(String[] keyType, Principal[] issuers,
        SSLEngine engine) {
      return ALIAS;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
      return ALIAS;
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
      return new String[] {ALIAS};
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
      return new String[0];
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
      return null;
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
      return client.chain().toArray(X509Certificate[]::new);
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
      return client.keys().getPrivate();
    }
  }

  public static KeyPair keyPair(Algorithm algorithm) {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm.name);
      generator.initialize(algorithm.size);
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static X509Certificate sign(String name, KeyPair keys, Issued issuer, boolean ca,
      Algorithm algorithm, String... dnsNames) {
    String issuerName = issuer.certificate().getSubjectX500Principal().getName();
    return sign(name, keys, issuerName, issuer.keys(), Algorithm.EC, ca, dnsNames);
  }

  private static X509Certificate sign(String name, KeyPair keys, String issuerName,
      KeyPair issuerKeys, Algorithm issuerAlgorithm, boolean ca, String... dnsNames) {
    Instant now = Instant.now();
    X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
        new X500Name(issuerName), BigInteger.valueOf(SERIALS.getAndIncrement()),
        Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1))),
        new X500Name(name.contains("=") ? name : "CN=" + name), keys.getPublic());
    try {
      builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
      if (!ca) {
        GeneralName[] names = new GeneralName[dnsNames.length + 2];
        names[0] = new GeneralName(GeneralName.iPAddress, "127.0.0.1");
        names[1] = new GeneralName(GeneralName.dNSName, "localhost");
        for (int i = 0; i < dnsNames.length; i++) {
          names[i + 2] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
      }
      return new JcaX509CertificateConverter().getCertificate(builder.build(
          new JcaContentSignerBuilder(issuerAlgorithm.signature).build(issuerKeys.getPrivate())));
    } catch (IOException | GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException(e);
    }
  }
}
