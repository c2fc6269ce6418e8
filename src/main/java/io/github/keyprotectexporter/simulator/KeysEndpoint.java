package io.github.keyprotectexporter.simulator;

import io.github.keyprotectexporter.simulator.FaultResponses.NormalResponse;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.io.IOException;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code HEAD} and {@code GET /api/v2/keys} like the regional key API: checks the bearer
 * token and the {@code Bluemix-Instance} header, then responds with the number of keys in the
 * {@code Key-Total} header, or with the current step's key API fault. A simulated instance has
 * no keys, so the total is always 0 and the list is empty.
 */
final class KeysEndpoint {

  private static final Logger logger = LoggerFactory.getLogger(KeysEndpoint.class);

  static final String PATH = "/api/v2/keys";

  /** The response header that carries the number of keys, as in IBM's key API. */
  static final String KEY_TOTAL_HEADER = "Key-Total";

  private final ScenarioPlayer player;
  private final InstanceRequestCheck check;
  private final RequestStats stats;

  KeysEndpoint(ScenarioPlayer player, InstanceRequestCheck check, RequestStats stats) {
    this.player = player;
    this.check = check;
    this.stats = stats;
  }

  void handle(Context ctx) {
    Optional<SimulatedInstance> instance = check.instanceOf(ctx, "key API");
    if (instance.isEmpty()) {
      return;
    }
    stats.countKeyApiRequest(instance.get().id());
    Fault fault = player.currentStep(instance.get()).keyApiFault();
    // A response to HEAD carries the status and headers only, so no body is set for it.
    boolean sendBody = ctx.method() != HandlerType.HEAD;
    NormalResponse normal =
        new NormalResponse(
            ResponseBodies.JSON,
            ResponseBodies.emptyKeyList(),
            Map.of(KEY_TOTAL_HEADER, "0"),
            sendBody);
    if (fault == null) {
      normal.send(ctx);
      return;
    }
    if (!InstanceRequestCheck.waitFor(fault.delay())) {
      logger.debug("Cut off delayed key API response of instance {}: server stopping",
          instance.get().id());
      ctx.status(503);
      return;
    }
    try {
      FaultResponses.send(ctx, fault, normal);
    } catch (IOException e) {
      logger.debug("Key API fault {} for instance {} not sent in full: {}",
          fault.kind().yamlName(), instance.get().id(), e.toString());
    }
  }
}
