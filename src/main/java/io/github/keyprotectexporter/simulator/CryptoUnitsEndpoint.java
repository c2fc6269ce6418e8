package io.github.keyprotectexporter.simulator;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code GET /api/v1/cryptounits} like a Dedicated Key Protect instance: checks the bearer
 * token, picks the instance named by the {@code Bluemix-Instance} header, and returns the units
 * of its current timeline step, or that step's fault.
 */
final class CryptoUnitsEndpoint {

  private static final Logger logger = LoggerFactory.getLogger(CryptoUnitsEndpoint.class);

  static final String PATH = "/api/v1/cryptounits";
  static final String INSTANCE_HEADER = "Bluemix-Instance";

  private final Scenario scenario;
  private final ScenarioPlayer player;
  private final TokenIssuer issuer;
  private final RequestStats stats;

  CryptoUnitsEndpoint(
      Scenario scenario, ScenarioPlayer player, TokenIssuer issuer, RequestStats stats) {
    this.scenario = scenario;
    this.player = player;
    this.issuer = issuer;
    this.stats = stats;
  }

  void handle(Context ctx) {
    stats.cryptoUnitRequestStarted();
    try {
      respond(ctx);
    } finally {
      stats.cryptoUnitRequestFinished();
    }
  }

  private void respond(Context ctx) {
    if (!hasValidToken(ctx.header("Authorization"))) {
      rejectUnauthorized(ctx);
      return;
    }
    String header = ctx.header(INSTANCE_HEADER);
    String instanceId = header == null ? "" : header.strip();
    if (instanceId.isEmpty()) {
      rejectMissingInstance(ctx);
      return;
    }
    Optional<SimulatedInstance> instance = scenario.instance(instanceId);
    if (instance.isEmpty()) {
      rejectUnknownInstance(ctx, instanceId);
      return;
    }
    stats.countInstanceRequest(instanceId);
    sendStep(ctx, instance.get(), player.currentStep(instance.get()));
  }

  private void sendStep(Context ctx, SimulatedInstance instance, TimelineStep step) {
    Fault fault = step.fault();
    if (fault != null && !waitFor(fault.delay())) {
      logger.debug("Cut off delayed response of instance {}: server stopping", instance.id());
      ctx.status(503).contentType(Fault.DEFAULT_CONTENT_TYPE).result("simulator is stopping");
      return;
    }
    if (fault != null && fault.replacementStatus().isPresent()) {
      ctx.status(fault.status()).contentType(fault.contentType()).result(fault.body());
      return;
    }
    ctx.contentType(ResponseBodies.JSON)
        .result(ResponseBodies.cryptoUnits(instance, step.units()));
  }

  /** Sleeps for {@code delay}. Returns false when interrupted because the server stops. */
  private static boolean waitFor(Duration delay) {
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

  private static void rejectUnauthorized(Context ctx) {
    logger.debug("Rejected crypto-units request without a valid bearer token");
    String reason = "The user does not have access to the specified resource";
    sendError(ctx, 401, "Unauthorized: " + reason, "UNAUTHORIZED_ERR", reason);
  }

  // NOTE: the reason codes for 400 and 404 are modelled on the documented 401 envelope, because
  // the real service's codes for these cases are not published.
  private static void rejectMissingInstance(Context ctx) {
    logger.debug("Rejected crypto-units request without a {} header", INSTANCE_HEADER);
    String message = "Bad Request: The " + INSTANCE_HEADER + " header is missing";
    String reason = "Set the " + INSTANCE_HEADER + " header to the instance id";
    sendError(ctx, 400, message, "BAD_HEADERS_ERR", reason);
  }

  private static void rejectUnknownInstance(Context ctx, String instanceId) {
    logger.debug("Rejected crypto-units request for unknown instance {}", instanceId);
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
