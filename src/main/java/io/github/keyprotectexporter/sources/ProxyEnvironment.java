package io.github.keyprotectexporter.sources;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import okhttp3.Authenticator;
import okhttp3.Connection;
import okhttp3.Interceptor;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outgoing proxies that the variables {@code HTTPS_PROXY}, {@code HTTP_PROXY} and {@code
 * NO_PROXY} select, which the JVM itself ignores. As in curl, the lowercase form of each variable
 * wins over the uppercase one, and a variable that is set but blank counts as unset. {@code
 * HTTPS_PROXY} serves https URLs through a CONNECT tunnel, so the proxy never receives the request
 * itself. {@code HTTP_PROXY} serves http URLs. {@link NoProxyList} documents {@code NO_PROXY}.
 *
 * <p>User info in a proxy URL becomes Basic proxy authentication. It is sent only to that proxy:
 * up front on the CONNECT request of a tunnel and on plain HTTP requests, never inside a tunnel.
 */
public final class ProxyEnvironment {

  /** No proxy variable set: OkHttp keeps its default proxy selection. */
  public static final ProxyEnvironment NONE = new ProxyEnvironment(null, null, NoProxyList.EMPTY);

  private static final Logger logger = LoggerFactory.getLogger(ProxyEnvironment.class);

  private final ProxyServer httpsProxy;
  private final ProxyServer httpProxy;
  private final NoProxyList noProxy;

  private ProxyEnvironment(ProxyServer httpsProxy, ProxyServer httpProxy, NoProxyList noProxy) {
    this.httpsProxy = httpsProxy;
    this.httpProxy = httpProxy;
    this.noProxy = noProxy;
  }

  /**
   * Reads the proxy variables from {@code environment}.
   *
   * @throws IllegalArgumentException when a proxy URL or a {@code NO_PROXY} entry is invalid. The
   *     message names the variable and never repeats a value that contains credentials.
   */
  public static ProxyEnvironment fromEnvironment(Map<String, String> environment) {
    ProxyServer https = proxy(environment, "https_proxy", "HTTPS_PROXY");
    ProxyServer http = proxy(environment, "http_proxy", "HTTP_PROXY");
    String noProxyVariable = chooseVariable(environment, "no_proxy", "NO_PROXY");
    NoProxyList noProxy = noProxyVariable == null
        ? NoProxyList.EMPTY
        : NoProxyList.parse(noProxyVariable, environment.get(noProxyVariable));
    if (https == null && http == null) {
      return NONE;
    }
    return new ProxyEnvironment(https, http, noProxy);
  }

  /** Returns true when no proxy variable is set. */
  public boolean isEmpty() {
    return httpsProxy == null && httpProxy == null;
  }

  /**
   * Describes the proxies for the start-up log: each proxy's host and port and the variable that
   * set it, never its credentials.
   */
  public String describe() {
    if (isEmpty()) {
      return "no proxy variable set";
    }
    return "https=" + describe(httpsProxy) + " http=" + describe(httpProxy)
        + " no_proxy=" + (noProxy.isEmpty() ? "(none)" : noProxy.toString());
  }

  /** Returns the proxy for a request to {@code uri}, or {@link Proxy#NO_PROXY} to go direct. */
  Proxy proxyFor(URI uri) {
    ProxyServer server = serverFor(uri);
    return server == null ? Proxy.NO_PROXY : server.toProxy();
  }

  /**
   * Makes {@code builder}'s client use these proxies. Leaves it unchanged when no proxy variable
   * is set, so that JVM proxy properties such as {@code https.proxyHost} still apply then.
   */
  OkHttpClient.Builder configure(OkHttpClient.Builder builder) {
    if (isEmpty()) {
      return builder;
    }
    logger.info("Outgoing proxies {}", describe());
    return builder
        .proxySelector(new EnvironmentProxySelector())
        .proxyAuthenticator(new ProxyCredentials())
        .addNetworkInterceptor(new PlainHttpProxyCredentials());
  }

  private ProxyServer serverFor(URI uri) {
    String scheme = uri.getScheme();
    ProxyServer server = "https".equalsIgnoreCase(scheme) ? httpsProxy
        : "http".equalsIgnoreCase(scheme) ? httpProxy
        : null;
    if (server == null || uri.getHost() == null) {
      return null;
    }
    int port = uri.getPort() != -1 ? uri.getPort() : "https".equalsIgnoreCase(scheme) ? 443 : 80;
    return noProxy.matches(uri.getHost(), port) ? null : server;
  }

  /** Returns the configured proxy at {@code address}, or null. */
  private ProxyServer serverAt(SocketAddress address) {
    if (!(address instanceof InetSocketAddress socketAddress)) {
      return null;
    }
    for (ProxyServer server : new ProxyServer[] {httpsProxy, httpProxy}) {
      if (server != null && server.isAt(socketAddress)) {
        return server;
      }
    }
    return null;
  }

  private static String describe(ProxyServer server) {
    if (server == null) {
      return "(direct)";
    }
    String auth = server.credentials() == null ? "" : " with credentials";
    return server.hostAndPort() + " (from " + server.variable() + auth + ")";
  }

  private static ProxyServer proxy(Map<String, String> environment, String lower, String upper) {
    String variable = chooseVariable(environment, lower, upper);
    return variable == null ? null : ProxyServer.parse(variable, environment.get(variable));
  }

  /** Returns the name of the variable to read, lowercase first, or null when neither is set. */
  private static String chooseVariable(Map<String, String> environment, String lower,
      String upper) {
    for (String name : List.of(lower, upper)) {
      String value = environment.get(name);
      if (value != null && !value.isBlank()) {
        return name;
      }
    }
    return null;
  }

  /** Selects the proxy of each request by its scheme and host. */
  private final class EnvironmentProxySelector extends ProxySelector {

    @Override
    public List<Proxy> select(URI uri) {
      List<Proxy> proxies = new ArrayList<>(1);
      proxies.add(proxyFor(uri));
      return proxies;
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException e) {
      // OkHttp reports the failure to the caller as an IOException; nothing to remember here.
    }
  }

  /**
   * Adds the proxy's credentials to a CONNECT request, when OkHttp calls it before sending one.
   * Returns null for every other challenge, so that the 407 reaches the caller, because a plain
   * HTTP request already carried the credentials ({@link PlainHttpProxyCredentials}) and a CONNECT
   * that carried them was rejected.
   */
  private final class ProxyCredentials implements Authenticator {

    @Override
    public Request authenticate(Route route, Response response) {
      ProxyServer server = route == null ? null : serverAt(route.proxy().address());
      Request request = response.request();
      if (server == null || server.credentials() == null || !request.method().equals("CONNECT")
          || request.header("Proxy-Authorization") != null) {
        return null;
      }
      return request.newBuilder()
          .header("Proxy-Authorization", server.credentials().reveal())
          .build();
    }
  }

  /**
   * Adds the credentials to a plain HTTP request sent to a proxy, so that it needs no 407 round
   * trip. An https request travels inside a tunnel to the target and never gets them.
   */
  private final class PlainHttpProxyCredentials implements Interceptor {

    @Override
    public Response intercept(Chain chain) throws IOException {
      Request request = chain.request();
      Connection connection = chain.connection();
      if (request.isHttps() || connection == null
          || connection.route().proxy().type() != Proxy.Type.HTTP) {
        return chain.proceed(request);
      }
      ProxyServer server = serverAt(connection.route().proxy().address());
      if (server == null || server.credentials() == null) {
        return chain.proceed(request);
      }
      return chain.proceed(request.newBuilder()
          .header("Proxy-Authorization", server.credentials().reveal())
          .build());
    }
  }
}
