package io.github.keyprotectexporter.simulator;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checks that every simulated Key Protect endpoint makes before it responds: a bearer token
 * that the simulator issued, and a {@code Bluemix-Instance} header that names a simulated instance.
 */
final class InstanceRequestCheck {

  private static final Logger logger = LoggerFactory.getLogger(InstanceRequestCheck.class);

  static final String INSTANCE_HEADER = "Bluemix-Instance";

  private final Scenario scenario;
  private final TokenIssuer issuer;

  InstanceRequestCheck(Scenario scenario, TokenIssuer issuer) {
    this.scenario = scenario;
    this.issuer = issuer;
  }

  /**
   * Returns the instance that an authorized request names, or sends the Key Protect error
   * response (401, 400 or 404) and returns empty.
   *
   * @param api the name of the API in debug logs, such as {@code crypto-units}
   */
  Optional<SimulatedInstance> instanceOf(Context ctx, String api) {
    if (!hasValidToken(ctx.header("Authorization"))) {
      rejectUnauthorized(ctx, api);
      return Optional.empty();
    }
    String header = ctx.header(INSTANCE_HEADER);
    String instanceId = header == null ? "" : header.strip();
    if (instanceId.isEmpty()) {
      rejectMissingInstance(ctx, api);
      return Optional.empty();
    }
    Optional<SimulatedInstance> instance = scenario.instance(instanceId);
    if (instance.isEmpty()) {
      rejectUnknownInstance(ctx, api, instanceId);
    }
    return instance;
  }

  /** Sleeps for {@code delay}. Returns false when interrupted because the server stops. */
  static boolean waitFor(Duration delay) {
    if (delay.isZero()) {
      return true;
    }
    try {
      Thread.sleep(delay.toMillis());
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private boolean hasValidToken(String authorization) {
    if (authorization == null || authorization.length() <= "Bearer ".length()) {
      return false;
    }
    String scheme = authorization.substring(0, "Bearer ".length()).toLowerCase(Locale.ROOT);
    String token = authorization.substring("Bearer ".length()).strip();
    return scheme.equals("bearer ") && issuer.isValid(token);
  }

  private static void rejectUnauthorized(Context ctx, String api) {
    logger.debug("Rejected {} request without a valid bearer token", api);
    String reason = "The user does not have access to the specified resource";
    sendError(ctx, 401, "Unauthorized: " + reason, "UNAUTHORIZED_ERR", reason);
  }

  // NOTE: the reason codes for 400 and 404 are modelled on the documented 401 envelope, because
  // the real service's codes for these cases are not published.
  private static void rejectMissingInstance(Context ctx, String api) {
    logger.debug("Rejected {} request without a {} header", api, INSTANCE_HEADER);
    String message = "Bad Request: The " + INSTANCE_HEADER + " header is missing";
    String reason = "Set the " + INSTANCE_HEADER + " header to the instance id";
    sendError(ctx, 400, message, "BAD_HEADERS_ERR", reason);
  }

  private static void rejectUnknownInstance(Context ctx, String api, String instanceId) {
    logger.debug("Rejected {} request for unknown instance {}", api, instanceId);
    String message = "Not Found: Instance " + instanceId + " does not exist";
    String reason = "The instance does not exist in this region";
    sendError(ctx, 404, message, "INSTANCE_NOT_FOUND_ERR", reason);
  }

  private static void sendError(
      Context ctx, int status, String errorMessage, String code, String reason) {
    ctx.status(status)
        .contentType(ResponseBodies.JSON)
        .result(ResponseBodies.keyProtectError(status, errorMessage, code, reason));
  }
}
