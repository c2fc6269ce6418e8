package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.WebConfig;
import java.time.Clock;
import java.util.Map;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * A web config made ready to serve: the TLS files read and checked, and the basic-auth users
 * loaded. Building it before anything listens means a bad file stops the start cleanly.
 *
 * <pre>{@code
 * WebSecurity security =
 *     WebSecurity.load(new WebConfigLoader().load(file), healthWithoutAuth, Clock.systemUTC());
 * WebServer server = WebServer.start(address, security, registry, store, clock);
 * }</pre>
 */
public final class WebSecurity {

  /** Plain HTTP without login or extra headers. */
  public static final WebSecurity NONE = new WebSecurity(null, null, Map.of(), false, false,
      Clock.systemUTC());

  private final SslContextFactory.Server tls;
  private final BasicAuthenticator basicAuth;
  private final Map<String, String> headers;
  private final boolean healthWithoutAuth;
  private final boolean clientCertPerRequest;
  private final Clock clock;

  private WebSecurity(SslContextFactory.Server tls, BasicAuthenticator basicAuth,
      Map<String, String> headers, boolean healthWithoutAuth, boolean clientCertPerRequest,
      Clock clock) {
    this.tls = tls;
    this.basicAuth = basicAuth;
    this.headers = headers;
    this.healthWithoutAuth = healthWithoutAuth;
    this.clientCertPerRequest = clientCertPerRequest;
    this.clock = clock;
  }

  /**
   * Reads the TLS files of a web config and prepares its checks.
   *
   * @param healthWithoutAuth true to serve {@code /-/healthy} and {@code /-/ready} without basic
   *     auth or a client certificate. A required client certificate is then checked per request
   *     for the other paths instead of in the TLS handshake.
   * @param clock the clock that spaces out the log lines about failed logins
   * @throws ConfigException naming the setting and file when a TLS file is missing or invalid
   */
  public static WebSecurity load(WebConfig config, boolean healthWithoutAuth, Clock clock)
      throws ConfigException {
    boolean clientCertPerRequest = healthWithoutAuth && config.hasTls()
        && config.tls().clientAuth().required();
    SslContextFactory.Server tls = config.hasTls()
        ? ServerTls.create(config.tls(), clientCertPerRequest)
        : null;
    BasicAuthenticator basicAuth = config.hasBasicAuth()
        ? new BasicAuthenticator(config.basicAuthUsers())
        : null;
    return new WebSecurity(tls, basicAuth, config.headers(), healthWithoutAuth,
        clientCertPerRequest, clock);
  }

  /** Returns {@code https} when the server uses TLS, else {@code http}. */
  public String scheme() {
    return tls == null ? "http" : "https";
  }

  /** Returns Jetty's TLS setup, or null for plain HTTP. */
  SslContextFactory.Server tls() {
    return tls;
  }

  /** Returns the handler that runs before every route, or null when there is nothing to do. */
  AccessControl accessControl() {
    if (basicAuth == null && headers.isEmpty() && !clientCertPerRequest) {
      return null;
    }
    return new AccessControl(basicAuth, headers, healthWithoutAuth, clientCertPerRequest,
        new FailedLoginLog(clock));
  }

  /** Describes the protection for the start-up log line, without any secret. */
  @Override
  public String toString() {
    return "tls=" + (tls != null) + " basic_auth=" + (basicAuth != null)
        + " health_without_auth=" + healthWithoutAuth;
  }
}
