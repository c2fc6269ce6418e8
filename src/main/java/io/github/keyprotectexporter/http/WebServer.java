package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.metrics.MetricChanges;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP server: {@code /metrics}, {@code /-/healthy}, {@code /-/ready}, a status page
 * at {@code /}, {@code /api/v1/instances} and, when given a reloader, {@code POST /-/reload}.
 * Every handler reads the snapshot store and never calls the Key Protect API.
 *
 * <pre>{@code
 * ListenAddress address = ListenAddress.parse(":9795");
 * try (WebServer server = WebServer.start(address, metrics.registry(), store, clock)) {
 *   ...
 * }
 * }</pre>
 */
public final class WebServer implements AutoCloseable {

  static final String TEXT = "text/plain; charset=utf-8";
  static final String NOSNIFF_HEADER = "X-Content-Type-Options";
  static final String NOSNIFF = "nosniff";
  static final String ALLOWED_METHODS = "GET, HEAD";
  static final String RELOAD_PATH = "/-/reload";

  /** Time that {@link #close()} gives requests in flight to finish. */
  private static final long STOP_TIMEOUT_MILLIS = 5_000;

  private static final Logger logger = LoggerFactory.getLogger(WebServer.class);

  private final Javalin app;
  private final ListenAddress address;

  private WebServer(Javalin app, ListenAddress address) {
    this.app = app;
    this.address = address;
  }

  /**
   * Starts the server and returns once it accepts connections.
   *
   * @throws IllegalStateException naming the address when the server cannot listen on it, for
   *     example because the port is in use
   */
  public static WebServer start(
      ListenAddress address, PrometheusRegistry registry, SnapshotStore store, Clock clock) {
    return start(address, WebSecurity.NONE, registry, MetricChanges.NONE, store, clock, null);
  }

  /**
   * Starts the server with the TLS, basic auth and headers of a web config, and returns once it
   * accepts connections.
   *
   * @throws IllegalStateException naming the address when the server cannot listen on it
   */
  public static WebServer start(ListenAddress address, WebSecurity security,
      PrometheusRegistry registry, SnapshotStore store, Clock clock) {
    return start(address, security, registry, MetricChanges.NONE, store, clock, null);
  }

  /**
   * Starts the server like {@link #start(ListenAddress, PrometheusRegistry, SnapshotStore, Clock)},
   * and serves the families that {@code changes} tracks from a cache until they change.
   */
  public static WebServer start(ListenAddress address, PrometheusRegistry registry,
      MetricChanges changes, SnapshotStore store, Clock clock) {
    return start(address, WebSecurity.NONE, registry, changes, store, clock, null);
  }

  /**
   * Starts the server protected as {@code security} says, serving the families that
   * {@code changes} tracks from a cache, and returns once it accepts connections.
   *
   * @param reloader runs the reload of {@code POST /-/reload}, or null to serve no such route
   * @throws IllegalStateException naming the address when the server cannot listen on it
   */
  public static WebServer start(ListenAddress address, WebSecurity security,
      PrometheusRegistry registry, MetricChanges changes, SnapshotStore store, Clock clock,
      ConfigReloader reloader) {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(security, "security");
    ScrapeCache cache = new ScrapeCache(registry, changes, clock);
    Javalin app = Javalin.create(cfg -> {
      configure(cfg, cache, store, clock, reloader);
      secure(cfg, security, address);
    });
    try {
      app.start(address.host(), address.port());
    } catch (RuntimeException e) {
      app.stop();
      throw new IllegalStateException(
          "Failed to listen on " + address + ": " + rootMessage(e)
              + ". Choose a free port or another listen address.",
          e);
    }
    WebServer server = new WebServer(app, address);
    logger.info("Web server listening address={} port={} scheme={} {}", address, server.port(),
        security.scheme(), security);
    return server;
  }

  /** Returns the port the server listens on, the chosen one when the address had port 0. */
  public int port() {
    return app.port();
  }

  public ListenAddress address() {
    return address;
  }

  /**
   * Stops accepting connections and waits up to 5 seconds for requests in flight to finish. Jetty's
   * graceful stop of the connector waits until their connections close.
   */
  @Override
  public void close() {
    app.stop();
    logger.info("Web server stopped address={}", address);
  }

  private static void configure(JavalinConfig cfg, ScrapeCache cache, SnapshotStore store,
      Clock clock, ConfigReloader reloader) {
    cfg.startup.showJavalinBanner = false;
    cfg.startup.showOldJavalinVersionWarning = false;
    // /metrics compresses on its own, depending on Accept-Encoding.
    cfg.http.compressionStrategy = CompressionStrategy.NONE;
    cfg.http.defaultContentType = TEXT;
    cfg.jetty.modifyServer(
        server -> {
          server.setStopTimeout(STOP_TIMEOUT_MILLIS);
          server.setErrorHandler(new JettyErrorHandler());
        });

    cfg.routes.before(ctx -> ctx.header(NOSNIFF_HEADER, NOSNIFF));
    Map<String, Handler> routes = new LinkedHashMap<>();
    routes.put("/metrics", new MetricsEndpoint(cache));
    routes.put("/-/healthy", ctx -> plain(ctx, 200, "OK"));
    routes.put("/-/ready", ctx -> ready(ctx, store));
    routes.put("/", new StatusPage(store, clock));
    routes.put("/api/v1/instances", new InstancesEndpoint(store, clock));
    Map<String, String> allowedMethods = new LinkedHashMap<>();
    routes.forEach(
        (path, handler) -> {
          cfg.routes.get(path, handler);
          // Without its own route, Javalin returns an empty text/plain 200 for HEAD and never
          // runs the handler. Jetty drops the body of a HEAD response and keeps its headers.
          cfg.routes.head(path, handler);
          allowedMethods.put(path, ALLOWED_METHODS);
        });
    if (reloader != null) {
      cfg.routes.post(RELOAD_PATH, new ReloadEndpoint(reloader));
      allowedMethods.put(RELOAD_PATH, "POST");
    }
    cfg.routes.error(404, ctx -> notFound(ctx, allowedMethods));
    cfg.routes.exception(
        Exception.class,
        (e, ctx) -> {
          logger.error("Request failed path={} error={}", ctx.path(), e.toString(), e);
          plain(ctx, 500, "Internal server error");
        });
  }

  /**
   * Adds the TLS connector and the access checks of a web config. Javalin creates no connector of
   * its own once one is added.
   */
  private static void secure(JavalinConfig cfg, WebSecurity security, ListenAddress address) {
    if (security.tls() != null) {
      cfg.jetty.addConnector((server, http) -> tlsConnector(server, http, security, address));
    }
    AccessControl accessControl = security.accessControl();
    if (accessControl != null) {
      cfg.routes.before(accessControl);
    }
  }

  private static ServerConnector tlsConnector(Server server, HttpConfiguration http,
      WebSecurity security, ListenAddress address) {
    HttpConfiguration https = new HttpConfiguration(http);
    // Exposes the client certificate to AccessControl. The Host header need not match the
    // certificate, because health checks connect to a loopback address.
    SecureRequestCustomizer customizer = new SecureRequestCustomizer();
    customizer.setSniHostCheck(false);
    https.addCustomizer(customizer);
    ServerConnector connector = new ServerConnector(server,
        new SslConnectionFactory(security.tls(), HttpVersion.HTTP_1_1.asString()),
        new HttpConnectionFactory(https));
    connector.setHost(address.host());
    connector.setPort(address.port());
    return connector;
  }

  private static void ready(Context ctx, SnapshotStore store) {
    if (store.allPolled()) {
      plain(ctx, 200, "OK");
      return;
    }
    long waiting = store.all().stream().filter(snapshot -> !snapshot.polled()).count();
    plain(ctx, 503, "Not ready: " + waiting + " instance(s) not polled yet");
  }

  /**
   * Responds to a request that no route matched: 405 with {@code Allow} when the path exists but
   * not with this method, 404 otherwise.
   */
  private static void notFound(Context ctx, Map<String, String> allowedMethods) {
    String allowed = allowedMethods.get(routePath(ctx.path()));
    if (allowed == null) {
      plain(ctx, 404, "Not found: " + ctx.path());
      return;
    }
    ctx.header("Allow", allowed);
    plain(ctx, 405, "Method not allowed: " + ctx.method() + " " + ctx.path()
        + ". Use one of: " + allowed + ".");
  }

  /** Removes trailing slashes, because Javalin matches {@code /metrics/} to {@code /metrics}. */
  static String routePath(String path) {
    String trimmed = path;
    while (trimmed.length() > 1 && trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed;
  }

  private static void plain(Context ctx, int status, String body) {
    ctx.status(status);
    ctx.contentType(TEXT);
    ctx.header(NOSNIFF_HEADER, NOSNIFF);
    ctx.result(body + "\n");
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getMessage() == null ? root.toString() : root.getMessage();
  }
}
