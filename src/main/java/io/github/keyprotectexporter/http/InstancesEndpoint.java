package io.github.keyprotectexporter.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Serves {@code GET /api/v1/instances}: the latest status of every instance as JSON, with
 * snake_case field names and ISO-8601 timestamps. Fields that have no value yet are written as
 * null, so the document always has the same fields.
 */
final class InstancesEndpoint implements Handler {

  static final String CONTENT_TYPE = "application/json; charset=utf-8";

  /** The whole response document. */
  record InstancesDocument(Instant generatedAt, List<InstanceStatus> instances) {}

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .enable(SerializationFeature.INDENT_OUTPUT)
          .build();

  private final SnapshotStore store;
  private final Clock clock;

  InstancesEndpoint(SnapshotStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void handle(Context ctx) throws JsonProcessingException {
    ctx.contentType(CONTENT_TYPE);
    ctx.result(render(store, clock.instant()));
  }

  static byte[] render(SnapshotStore store, Instant now) throws JsonProcessingException {
    InstancesDocument document =
        new InstancesDocument(now, InstanceStatus.ofAll(store, now));
    return MAPPER.writeValueAsBytes(document);
  }
}
