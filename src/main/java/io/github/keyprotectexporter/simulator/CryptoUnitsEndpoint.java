package io.github.keyprotectexporter.simulator;

import io.github.keyprotectexporter.simulator.FaultResponses.NormalResponse;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Map;
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

  private final ScenarioPlayer player;
  private final InstanceRequestCheck check;
  private final RequestStats stats;

  CryptoUnitsEndpoint(ScenarioPlayer player, InstanceRequestCheck check, RequestStats stats) {
    this.player = player;
    this.check = check;
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
    Optional<SimulatedInstance> instance = check.instanceOf(ctx, "crypto-units");
    if (instance.isEmpty()) {
      return;
    }
    stats.countInstanceRequest(instance.get().id());
    sendStep(ctx, instance.get(), player.currentStep(instance.get()));
  }

  private void sendStep(Context ctx, SimulatedInstance instance, TimelineStep step) {
    Fault fault = step.fault();
    NormalResponse normal =
        new NormalResponse(
            ResponseBodies.JSON,
            ResponseBodies.cryptoUnits(instance, step.units()),
            Map.of(),
            true);
    if (fault == null) {
      normal.send(ctx);
      return;
    }
    if (!InstanceRequestCheck.waitFor(fault.delay())) {
      logger.debug("Cut off delayed response of instance {}: server stopping", instance.id());
      ctx.status(503).contentType(Fault.DEFAULT_CONTENT_TYPE).result("simulator is stopping");
      return;
    }
    try {
      FaultResponses.send(ctx, fault, normal);
    } catch (IOException e) {
      logger.debug("Fault {} for instance {} not sent in full: {}",
          fault.kind().yamlName(), instance.id(), e.toString());
    }
  }
}
