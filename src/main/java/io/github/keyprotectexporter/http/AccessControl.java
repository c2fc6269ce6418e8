package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.http.BasicAuthenticator.Outcome;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.Set;

/**
 * Runs before every route: adds the headers of the web config, then requires basic auth and,
 * where the TLS handshake left it to this handler, a client certificate. The health paths may be
 * left open so that container health checks work.
 */
final class AccessControl implements Handler {

  static final String REALM = "Basic realm=\"keyprotect-exporter\", charset=\"UTF-8\"";

  private static final Set<String> HEALTH_PATHS = Set.of("/-/healthy", "/-/ready");

  /** The servlet attribute under which Jetty puts the client's certificate chain. */
  private static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

  private final BasicAuthenticator basicAuth;
  private final Map<String, String> headers;
  private final boolean healthWithoutAuth;
  private final boolean clientCertPerRequest;
  private final FailedLoginLog failedLogins;

  AccessControl(BasicAuthenticator basicAuth, Map<String, String> headers,
      boolean healthWithoutAuth, boolean clientCertPerRequest, FailedLoginLog failedLogins) {
    this.basicAuth = basicAuth;
    this.headers = headers;
    this.healthWithoutAuth = healthWithoutAuth;
    this.clientCertPerRequest = clientCertPerRequest;
    this.failedLogins = failedLogins;
  }

  @Override
  public void handle(Context ctx) throws InterruptedException {
    headers.forEach(ctx::header);
    if (healthWithoutAuth && HEALTH_PATHS.contains(WebServer.routePath(ctx.path()))) {
      return;
    }
    if (clientCertPerRequest && !hasClientCertificate(ctx)) {
      failedLogins.failed(null, ctx.ip(), ctx.path(), "no client certificate");
      deny(ctx, 403, "Forbidden: this path requires a TLS client certificate");
      return;
    }
    if (basicAuth != null) {
      checkBasicAuth(ctx);
    }
  }

  private void checkBasicAuth(Context ctx) throws InterruptedException {
    String authorization = ctx.header("Authorization");
    Outcome outcome = basicAuth.check(authorization);
    switch (outcome) {
      case ACCEPTED -> {
        return;
      }
      case BUSY -> {
        ctx.header("Retry-After", "1");
        deny(ctx, 429, "Too many login attempts at once. Retry later");
        return;
      }
      case REJECTED -> {
        String user = BasicAuthenticator.userOf(authorization);
        boolean known = user != null && basicAuth.isUser(user);
        failedLogins.failed(known ? user : null, ctx.ip(), ctx.path(),
            known ? "wrong password" : "unknown user or malformed header");
      }
      case MISSING -> {
        // A browser first sends a request without credentials, so this is not a failed login.
      }
    }
    ctx.header("WWW-Authenticate", REALM);
    deny(ctx, 401, "Unauthorized: this path requires a user name and password");
  }

  private static boolean hasClientCertificate(Context ctx) {
    Object certificates = ctx.req().getAttribute(CERTIFICATES);
    return certificates instanceof X509Certificate[] chain && chain.length > 0;
  }

  private static void deny(Context ctx, int status, String message) {
    ctx.status(status);
    ctx.contentType(WebServer.TEXT);
    ctx.result(message + "\n");
    ctx.skipRemainingHandlers();
  }
}
