package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.Secret;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import okhttp3.Credentials;
import okhttp3.HttpUrl;

/**
 * An HTTP proxy taken from an environment variable such as {@code HTTPS_PROXY}.
 *
 * @param variable the name of the variable that set it, for messages
 * @param host the proxy's host name or IP address
 * @param port the proxy's port; 80 when the URL has none, as for any http URL (curl uses 1080)
 * @param credentials the {@code Proxy-Authorization} value built from the URL's user info, or
 *     null when the URL has none
 */
record ProxyServer(String variable, String host, int port, Secret credentials) {

  private static final String FORMAT = "http://[user:password@]host[:port]";

  /**
   * Parses a proxy URL. A value without a scheme, such as {@code proxy.example:3128}, is read as
   * an http URL, as curl does.
   *
   * @throws IllegalArgumentException when the value is not an http URL with a host. The message
   *     names the variable and shows its value only when the value has no user info.
   */
  static ProxyServer parse(String variable, String value) {
    String text = value.strip();
    String withScheme = text.contains("://") ? text : "http://" + text;
    String scheme = withScheme.substring(0, withScheme.indexOf("://")).toLowerCase(Locale.ROOT);
    if (!scheme.equals("http")) {
      throw invalid(variable, value, "uses the scheme " + Excerpt.of(scheme, 20)
          + ", but only http:// proxies are supported (the request to the proxy is plain HTTP,"
          + " and an https target is still encrypted end to end through a CONNECT tunnel)");
    }
    URI uri;
    try {
      uri = new URI(withScheme);
    } catch (URISyntaxException e) {
      throw invalid(variable, value, "is not a valid URL");
    }
    String portProblem = portProblem(uri, withScheme);
    if (portProblem != null) {
      throw invalid(variable, value, portProblem);
    }

    HttpUrl url = HttpUrl.parse(withScheme);
    if (url == null || uri.getHost() == null) {
      throw invalid(variable, value, "has no valid host name");
    }
    String path = uri.getRawPath();
    if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null) {
      throw invalid(variable, value, "has a path or query, but a proxy URL has neither");
    }
    int port = uri.getPort() == -1 ? 80 : uri.getPort();
    Secret credentials = url.username().isEmpty() && url.password().isEmpty()
        ? null
        : new Secret(Credentials.basic(url.username(), url.password()));
    return new ProxyServer(variable, url.host(), port, credentials);
  }

  /**
   * Returns what is wrong with the port of {@code uri}, or null when it is absent or valid. URI
   * parses {@code host:notaport} as an authority without a host, so that case is read from the
   * text of {@code url}.
   */
  private static String portProblem(URI uri, String url) {
    if (uri.getHost() == null) {
      return numericPort(url) ? null : "has a port that is not a number from 1 to 65535";
    }
    int port = uri.getPort();
    if (port != -1 && (port < 1 || port > 65535)) {
      return "has the port " + port + ", which is outside 1 to 65535";
    }
    return null;
  }

  /** Returns false when the URL's authority ends in a {@code :port} that is not all digits. */
  private static boolean numericPort(String url) {
    int start = url.indexOf("://") + 3;
    int end = url.indexOf('/', start);
    String authority = url.substring(start, end < 0 ? url.length() : end);
    String hostAndPort = authority.substring(authority.lastIndexOf('@') + 1);
    int colon = hostAndPort.lastIndexOf(':');
    if (colon < 0 || hostAndPort.lastIndexOf(']') > colon) {
      return true;
    }
    String port = hostAndPort.substring(colon + 1);
    return !port.isEmpty() && port.chars().allMatch(Character::isDigit);
  }

  /**
   * Returns the proxy for OkHttp. The address stays unresolved, so that OkHttp resolves it with
   * its own DNS when it connects and a proxy that is down at start-up is retried.
   */
  Proxy toProxy() {
    return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port));
  }

  /** Returns true when {@code address} is this proxy's address, as OkHttp reports it. */
  boolean isAt(InetSocketAddress address) {
    return address.getPort() == port && address.getHostString().equalsIgnoreCase(host);
  }

  /** Returns {@code host:port}, without credentials. */
  String hostAndPort() {
    return host.contains(":") ? "[" + host + "]:" + port : host + ":" + port;
  }

  private static IllegalArgumentException invalid(String variable, String value, String problem) {
    // User info contains a password, so a value with an @ is never repeated.
    String shown = value.contains("@") ? "" : " (" + Excerpt.of(value, 120) + ")";
    return new IllegalArgumentException("environment variable " + variable + shown + " "
        + problem + "; set it to a proxy URL of the form " + FORMAT + " or unset it");
  }
}
