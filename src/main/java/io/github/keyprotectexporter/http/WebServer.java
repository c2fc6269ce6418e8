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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent's HTTP server: {@code /metrics}, {@code /-/healthy}, {@code /-/ready}, a status page
 * at {@code /} and {@code /api/v1/instances}. Every handler reads the snapshot store and never
 * calls the Key Protect API.
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
    return start(address, registry, MetricChanges.NONE, store, clock);
  }

  /**
   * Starts the server like {@link #start(ListenAddress, PrometheusRegistry, SnapshotStore, Clock)},
   * and serves the families that {@code changes} tracks from a cache until they change.
   */
  public static WebServer start(
      ListenAddress address,
      PrometheusRegistry registry,
      MetricChanges changes,
      SnapshotStore store,
      Clock clock) {
    Objects.requireNonNull(address, "address");
    ScrapeCache cache = new ScrapeCache(registry, changes, clock);
    Javalin app = Javalin.create(cfg -> configure(cfg, cache, store, clock));
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
    logger.info("Web server listening address={} port={}", address, server.port());
    return server;
  }

  /** Returns the port the server listens on, the chosen one when the address had port 0. */
  public int port() {
    return app.port();
  }

  public ListenAddress address() {
    return address;
  }

  /** Stops accepting connections and waits up to 5 seconds for requests in flight to finish. */
  @Override
  public void close() {
    app.stop();
    logger.info("Web server stopped address={}", address);
  }

  private static void configure(
      JavalinConfig cfg,
      ScrapeCache cache,
      SnapshotStore store,
      Clock clock) {
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
    routes.forEach(
        (path, handler) -> {
          cfg.routes.get(path, handler);
          // Without its own route, Javalin returns an empty text/plain 200 for HEAD and never
          // runs the handler. Jetty drops the body of a HEAD response and keeps its headers.
          cfg.routes.head(path, handler);
        });
    cfg.routes.error(404, ctx -> notFound(ctx, routes.keySet()));
    cfg.routes.exception(
        Exception.class,
        (e, ctx) -> {
          logger.error("Request failed path={} error={}", ctx.path(), e.toString(), e);
          plain(ctx, 500, "Internal server error");
        });
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
   * the method is not GET or HEAD, 404 otherwise.
   */
  private static void notFound(Context ctx, Set<String> paths) {
    if (!paths.contains(routePath(ctx.path()))) {
      plain(ctx, 404, "Not found: " + ctx.path());
      return;
    }
    ctx.header("Allow", ALLOWED_METHODS);
    plain(ctx, 405, "Method not allowed: " + ctx.method() + " " + ctx.path()
        + ". Use one of: " + ALLOWED_METHODS + ".");
  }

  /** Removes trailing slashes, because Javalin matches {@code /metrics/} to {@code /metrics}. */
  private static String routePath(String path) {
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
