package io.github.keyprotectexporter.simulator;

import io.javalin.http.Context;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Serves {@code GET /api/v1/cryptounits} like a Dedicated Key Protect instance: checks the bearer
 * token, picks the instance named by the {@code Bluemix-Instance} header, and returns the units
 * of its current timeline step, or that step's fault.
 */
final class CryptoUnitsEndpoint {

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

  void handle(Context ctx) throws InterruptedException {
    stats.cryptoUnitRequestStarted();
    try {
      respond(ctx);
    } finally {
      stats.cryptoUnitRequestFinished();
    }
  }

  private void respond(Context ctx) throws InterruptedException {
    if (!hasValidToken(ctx.header("Authorization"))) {
      sendError(ctx, 401, "Unauthorized: The user does not have access to the specified resource",
          "UNAUTHORIZED_ERR", "The user does not have access to the specified resource");
      return;
    }
    String instanceId = ctx.header(INSTANCE_HEADER);
    if (instanceId == null || instanceId.isBlank()) {
      sendError(ctx, 400, "Bad Request: The " + INSTANCE_HEADER + " header is missing",
          "BAD_HEADERS_ERR", "Set the " + INSTANCE_HEADER + " header to the instance id");
      return;
    }
    Optional<SimulatedInstance> instance = scenario.instance(instanceId.strip());
    if (instance.isEmpty()) {
      sendError(ctx, 404, "Not Found: Instance " + instanceId.strip() + " does not exist",
          "INSTANCE_NOT_FOUND_ERR", "The instance does not exist in this region");
      return;
    }
    stats.countInstanceRequest(instance.get().id());
    sendStep(ctx, instance.get(), player.currentStep(instance.get()));
  }

  private void sendStep(Context ctx, SimulatedInstance instance, TimelineStep step)
      throws InterruptedException {
    Fault fault = step.fault();
    if (fault != null && fault.delay().compareTo(Duration.ZERO) > 0) {
      Thread.sleep(fault.delay().toMillis());
    }
    if (fault != null && fault.replacementStatus().isPresent()) {
      ctx.status(fault.status()).contentType(fault.contentType()).result(fault.body());
      return;
    }
    ctx.contentType(ResponseBodies.JSON)
        .result(ResponseBodies.cryptoUnits(instance, step.units()));
  }

  private boolean hasValidToken(String authorization) {
    if (authorization == null || authorization.length() <= "Bearer ".length()) {
      return false;
    }
    String scheme = authorization.substring(0, "Bearer ".length()).toLowerCase(Locale.ROOT);
    String token = authorization.substring("Bearer ".length()).strip();
    return scheme.equals("bearer ") && issuer.isValid(token);
  }

  // NOTE: the reason codes for 400 and 404 follow the documented 401 envelope; the real service's
  // codes for these cases are not published.
  private static void sendError(
      Context ctx, int status, String errorMessage, String code, String reason) {
    ctx.status(status)
        .contentType(ResponseBodies.JSON)
        .result(ResponseBodies.keyProtectError(status, errorMessage, code, reason));
  }
}
