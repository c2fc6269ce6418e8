package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.metrics.MetricChanges;
import io.github.keyprotectexporter.metrics.SampleStore;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code POST /-/reload} served by the web server with a scripted reloader. */
class ReloadEndpointTest {

  private final AtomicReference<ConfigReloader.Result> outcome =
      new AtomicReference<>(ConfigReloader.Result.success());
  private final AtomicInteger reloads = new AtomicInteger();
  private WebServer server;

  @AfterEach
  void stop() {
    server.close();
  }

  private HttpTestClient start(ConfigReloader reloader) {
    server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), WebSecurity.NONE,
        new PrometheusRegistry(), MetricChanges.NONE, SampleStore.create(), SampleStore.CLOCK,
        reloader);
    return new HttpTestClient(server.port());
  }

  private HttpTestClient start() {
    return start(() -> {
      reloads.incrementAndGet();
      return outcome.get();
    });
  }

  private static String body(HttpResponse<byte[]> response) {
    return new String(response.body(), StandardCharsets.UTF_8);
  }

  @Test
  void successReturns200() {
    HttpResponse<byte[]> response = start().send("POST", "/-/reload");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(body(response)).isEqualTo("Configuration reloaded\n");
    assertThat(reloads).hasValue(1);
  }

  @Test
  void failureReturns500WithEveryError() {
    outcome.set(new ConfigReloader.Result(List.of("first error", "second error")));

    HttpResponse<byte[]> response = start().send("POST", "/-/reload");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(HttpTestClient.contentType(response)).startsWith("text/plain");
    assertThat(body(response)).isEqualTo("""
        Reload failed, the previous configuration keeps running:
          first error
          second error
        """);
  }

  @Test
  void getIsNotAllowed() {
    HttpResponse<byte[]> response = start().get("/-/reload");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("POST");
    assertThat(reloads).hasValue(0);
  }

  @Test
  void postToMetricsIsNotAllowed() {
    HttpResponse<byte[]> response = start().send("POST", "/metrics");

    assertThat(response.statusCode()).isEqualTo(405);
    assertThat(response.headers().firstValue("Allow")).hasValue("GET, HEAD");
  }

  @Test
  void withoutReloaderPathIsNotFound() {
    HttpResponse<byte[]> response = start(null).send("POST", "/-/reload");

    assertThat(response.statusCode()).isEqualTo(404);
  }
}
