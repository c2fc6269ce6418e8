package io.github.keyprotectexporter.http;

import java.security.cert.CertificateException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import javax.net.ssl.X509TrustManager;

/**
 * Checks client certificates: first with a base trust manager, then against {@code
 * client_allowed_sans}. A client certificate fails the TLS handshake unless one of its subject
 * alternative names (DNS, IP, e-mail or URI) equals an allowed name.
 */
final class ClientCertificateTrust implements X509TrustManager {

  /**
   * Accepts every client certificate, for {@code RequestClientCert} and {@code
   * RequireAnyClientCert}, which do not verify them. It offers no CA names, so clients may send
   * any certificate.
   */
  static final X509TrustManager ANY = new X509TrustManager() {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType)
        throws CertificateException {
      throw new CertificateException("This trust manager only checks client certificates");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  };

  /** SAN types of RFC 5280 that the exporter-toolkit matches: e-mail, DNS, URI and IP. */
  private static final List<Integer> MATCHED_TYPES = List.of(1, 2, 6, 7);
  private static final int IP_ADDRESS = 7;
  /** An IPv6 literal; the JDK writes IPv4 SANs in the dotted form a config uses anyway. */
  private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*");

  private final X509TrustManager base;
  private final List<String> allowedSans;

  ClientCertificateTrust(X509TrustManager base, List<String> allowedSans) {
    this.base = base;
    this.allowedSans = allowedSans.stream().map(ClientCertificateTrust::normalize).toList();
  }

  @Override
  public void checkClientTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    base.checkClientTrusted(chain, authType);
    if (!hasAllowedSan(chain[0])) {
      throw new CertificateException(
          "The client certificate has no subject alternative name in client_allowed_sans");
    }
  }

  @Override
  public void checkServerTrusted(X509Certificate[] chain, String authType)
      throws CertificateException {
    base.checkServerTrusted(chain, authType);
  }

  @Override
  public X509Certificate[] getAcceptedIssuers() {
    return base.getAcceptedIssuers();
  }

  private boolean hasAllowedSan(X509Certificate certificate) throws CertificateParsingException {
    Collection<List<?>> names = certificate.getSubjectAlternativeNames();
    if (names == null) {
      return false;
    }
    for (List<?> name : names) {
      int type = (Integer) name.get(0);
      if (MATCHED_TYPES.contains(type) && name.get(1) instanceof String value) {
        String compared = type == IP_ADDRESS ? normalize(value) : value;
        if (allowedSans.contains(compared)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * Writes an IP address in one canonical form, because the JDK writes IPv6 SANs in full
   * ({@code 0:0:0:0:0:0:0:1}) while a config may write {@code ::1}. Other names stay as written.
   */
  private static String normalize(String name) {
    if (!IPV6_LITERAL.matcher(name).matches()) {
      return name;
    }
    try {
      // The JDK parses text with a colon as an IPv6 literal and never looks it up in DNS.
      return java.net.InetAddress.getByName(name).getHostAddress().toLowerCase(Locale.ROOT);
    } catch (java.net.UnknownHostException e) {
      return name;
    }
  }
}
