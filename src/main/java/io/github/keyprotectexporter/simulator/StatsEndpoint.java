package io.github.keyprotectexporter.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Serves {@code GET /simulator/stats}: request counts, the in-flight peak and the scenario clock,
 * as JSON, so that load and latency scripts can check the agent from outside the process.
 */
final class StatsEndpoint {

  static final String PATH = "/simulator/stats";

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final RequestStats stats;
  private final ScenarioPlayer player;

  StatsEndpoint(RequestStats stats, ScenarioPlayer player) {
    this.stats = stats;
    this.player = player;
  }

  void handle(Context ctx) throws JsonProcessingException {
    Map<String, Long> perInstance = stats.instanceRequests();
    long maxPerInstance = perInstance.values().stream().mapToLong(Long::longValue).max().orElse(0);
    long minPerInstance = perInstance.values().stream().mapToLong(Long::longValue).min().orElse(0);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("scenario_elapsed_ms", player.elapsed().toMillis());
    body.put("crypto_unit_requests", stats.totalCryptoUnitRequests());
    body.put("token_requests", stats.tokenRequests());
    body.put("in_flight", stats.inFlight());
    body.put("max_in_flight", stats.maxInFlight());
    body.put("instances_requested", perInstance.size());
    body.put("min_requests_per_instance", minPerInstance);
    body.put("max_requests_per_instance", maxPerInstance);
    ctx.contentType(ResponseBodies.JSON).result(MAPPER.writeValueAsString(body));
  }
}
