package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.WebConfig;
import io.github.keyprotectexporter.http.PemFiles;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Sends the health check's one GET request, over HTTPS when the web config enables TLS. It
 * trusts only the server certificate named in {@code cert_file}, so it needs no CA and can skip
 * the host name check that a loopback address would fail.
 */
final class HealthcheckClient {

  private final WebConfig web;
  private final Duration timeout;

  HealthcheckClient(WebConfig web, Duration timeout) {
    this.web = web;
    this.timeout = timeout;
  }

  /** Returns the response status. */
  int get(URI uri) throws IOException, ConfigException {
    // The agent runs on this host, so no proxy setting of the environment applies.
    HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
    if (connection instanceof HttpsURLConnection https) {
      X509Certificate pinned =
          PemFiles.certificates(web.tls().certFile(), "cert_file").get(0);
      https.setSSLSocketFactory(pinnedContext(pinned).getSocketFactory());
      https.setHostnameVerifier((host, session) -> true);
    }
    connection.setConnectTimeout((int) timeout.toMillis());
    connection.setReadTimeout((int) timeout.toMillis());
    connection.setInstanceFollowRedirects(false);
    try {
      return connection.getResponseCode();
    } finally {
      connection.disconnect();
    }
  }

  private static SSLContext pinnedContext(X509Certificate pinned) throws IOException {
    TrustManager trustPinned = new X509TrustManager() {
      @Override
      public void checkClientTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        throw new CertificateException("The health check is a client only");
      }

      @Override
      public void checkServerTrusted(X509Certificate[] chain, String authType)
          throws CertificateException {
        if (chain.length == 0 || !chain[0].equals(pinned)) {
          throw new CertificateException("The server's certificate is not the one in cert_file");
        }
      }

      @Override
      public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
      }
    };
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, new TrustManager[] {trustPinned}, null);
      return context;
    } catch (GeneralSecurityException e) {
      throw new IOException("Cannot set up TLS for the health check", e);
    }
  }
}
