package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.keyprotectexporter.metrics.SampleStore;
import io.prometheus.metrics.model.registry.Collector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Stopping the web server while a scrape is in flight. */
class WebServerStopTest {

  private static final Duration BOUND = Duration.ofSeconds(30);

  /** A collector that holds every scrape until the test releases it. */
  private static final class HeldCollector implements Collector {

    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    @Override
    public MetricSnapshot collect() {
      entered.countDown();
      try {
        release.await(BOUND.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return GaugeSnapshot.builder()
          .name("held_scrape")
          .help("A gauge whose scrape the test holds.")
          .dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder().value(1).build())
          .build();
    }

    @Override
    public String getPrometheusName() {
      return "held_scrape";
    }
  }

  private static boolean accepting(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  @Test
  void closeLetsScrapeInFlightFinish() throws Exception {
    PrometheusRegistry registry = new PrometheusRegistry();
    HeldCollector held = new HeldCollector();
    registry.register(held);
    WebServer server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), registry,
        SampleStore.create(), SampleStore.CLOCK);
    int port = server.port();
    HttpTestClient client = new HttpTestClient(port);

    CompletableFuture<HttpResponse<byte[]>> scrape =
        CompletableFuture.supplyAsync(() -> client.get("/metrics", "Accept", "text/plain"));
    assertThat(held.entered.await(BOUND.toSeconds(), TimeUnit.SECONDS)).isTrue();
    CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);
    await("new connections refused").atMost(BOUND).until(() -> !accepting(port));
    boolean closedBeforeRelease = closing.isDone();
    held.release.countDown();

    HttpResponse<byte[]> response = scrape.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    closing.get(BOUND.toSeconds(), TimeUnit.SECONDS);
    assertThat(closedBeforeRelease).as("close returned while a scrape was in flight").isFalse();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains("held_scrape 1.0");
  }
}
