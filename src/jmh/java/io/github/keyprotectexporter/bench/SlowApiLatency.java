package io.github.keyprotectexporter.bench;

import com.sun.net.httpserver.HttpServer;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.http.ListenAddress;
import io.github.keyprotectexporter.http.WebServer;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.polling.Poller;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.simulator.Scenario;
import io.github.keyprotectexporter.simulator.ScenarioLoader;
import io.github.keyprotectexporter.simulator.SimulatorServer;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import io.github.keyprotectexporter.sources.CryptoUnitSources;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Measures {@code /metrics} latency while the crypto-units API responds after 5 ms and after 5 s,
 * for the agent (which polls in the background and serves snapshots) and for a poll-on-scrape
 * baseline written for this comparison (which calls the API for every instance inside each
 * scrape, in parallel, as exporters such as cloudwatch_exporter do).
 *
 * <p>Everything runs in this JVM on 127.0.0.1: the simulator, the agent's poller and web server,
 * and the baseline on the JDK HTTP server. Run it with:
 *
 * <pre>{@code
 * bench/latency [INSTANCES] [SCRAPES]
 * }</pre>
 *
 * <p>It prints one Markdown table row per API latency.
 */
public final class SlowApiLatency {

  private static final String API_KEY = "bench-simulated-api-key";

  private static final List<Double> agentMedians = new ArrayList<>();

  private SlowApiLatency() {}

  public static void main(String[] args) throws Exception {
    int instances = args.length > 0 ? Integer.parseInt(args[0]) : 10;
    int scrapes = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    List<String> rows = new ArrayList<>();
    for (Duration latency : List.of(Duration.ofMillis(5), Duration.ofSeconds(5))) {
      rows.add(measure(latency, instances, scrapes));
    }
    System.out.println();
    System.out.printf(Locale.ROOT, "%d instances, 3 units each, %d sequential scrapes per cell%n",
        instances, scrapes);
    System.out.println("| API latency | agent median ms | agent max ms"
        + " | poll-on-scrape median ms | poll-on-scrape max ms | baseline / agent (median) |");
    System.out.println("|---|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
    System.out.printf(Locale.ROOT, "Agent median at 5 s API latency / at 5 ms: %.2f%n",
        agentMedians.get(1) / agentMedians.get(0));
  }

  private static String measure(Duration latency, int instances, int scrapes) throws Exception {
    Scenario scenario = ScenarioLoader.parse(scenarioYaml(instances, latency), "bench");
    Clock clock = Clock.systemUTC();
    try (SimulatorServer simulator = SimulatorServer.builder(scenario).build().start()) {
      List<InstanceConfig> configs = simulator.instanceConfigs();
      PollSettings poll =
          new PollSettings(Duration.ofSeconds(15), Duration.ofSeconds(30), Duration.ofMinutes(5),
              Duration.ofSeconds(1), 8);
      ExporterConfig config =
          new ExporterConfig(poll, new IamSettings(simulator.tokenUrl(), null, null), configs);

      SnapshotStore store = new SnapshotStore(configs);
      ExporterMetrics metrics = ExporterMetrics.create(store, configs, clock);
      CryptoUnitSource agentSource =
          CryptoUnitSources.create(config, new Secret(API_KEY), metrics, clock, Map.of());
      CryptoUnitSource baselineSource =
          CryptoUnitSources.create(
              config, new Secret(API_KEY), ApiRequestListener.NONE, clock, Map.of());
      ExecutorService calls = Executors.newFixedThreadPool(Math.min(instances, 32));
      HttpServer baseline = startPollOnScrape(configs, baselineSource, calls);
      try (Poller poller = new Poller(poll, configs, agentSource, store, metrics, clock);
          WebServer agent =
              WebServer.start(new ListenAddress("127.0.0.1", 0), metrics.registry(), metrics,
                  store, clock)) {
        poller.start();
        while (!store.allPolled()) {
          Thread.sleep(100);
        }
        URI agentUrl = URI.create("http://127.0.0.1:" + agent.port() + "/metrics");
        URI baselineUrl =
            URI.create("http://127.0.0.1:" + baseline.getAddress().getPort() + "/metrics");
        // One scrape each first, so class loading and JIT compilation stay out of the numbers.
        scrapeMillis(agentUrl, 1);
        scrapeMillis(baselineUrl, 1);
        double[] agentMillis = scrapeMillis(agentUrl, scrapes);
        double[] baselineMillis = scrapeMillis(baselineUrl, scrapes);
        agentMedians.add(median(agentMillis));
        return String.format(Locale.ROOT, "| %d ms | %.1f | %.1f | %.1f | %.1f | %.1fx |",
            latency.toMillis(), median(agentMillis), max(agentMillis), median(baselineMillis),
            max(baselineMillis), median(baselineMillis) / median(agentMillis));
      } finally {
        baseline.stop(0);
        calls.shutdownNow();
        agentSource.close();
        baselineSource.close();
      }
    }
  }

  /** Starts the baseline: each scrape lists the units of every instance, then renders them. */
  private static HttpServer startPollOnScrape(
      List<InstanceConfig> configs, CryptoUnitSource source, ExecutorService calls)
      throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/metrics", exchange -> {
      StringBuilder text = new StringBuilder("# TYPE keyprotect_crypto_unit_state gauge\n");
      List<Future<List<CryptoUnit>>> results = new ArrayList<>();
      for (InstanceConfig instance : configs) {
        results.add(calls.submit(() -> source.listCryptoUnits(instance)));
      }
      for (int i = 0; i < configs.size(); i++) {
        try {
          for (CryptoUnit unit : results.get(i).get()) {
            text.append("keyprotect_crypto_unit_state{instance_id=\"")
                .append(configs.get(i).id()).append("\",crypto_unit_id=\"").append(unit.id())
                .append("\",state=\"").append(unit.state().label()).append("\"} 1\n");
          }
        } catch (Exception e) {
          text.append("# poll failed: ").append(e.getClass().getSimpleName()).append('\n');
        }
      }
      byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    });
    server.start();
    return server;
  }

  /** Returns the latency of each of {@code scrapes} sequential scrapes, in milliseconds. */
  private static double[] scrapeMillis(URI url, int scrapes) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(url).GET().build();
    double[] millis = new double[scrapes];
    for (int i = 0; i < scrapes; i++) {
      long start = System.nanoTime();
      HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
      millis[i] = (System.nanoTime() - start) / 1e6;
      if (response.statusCode() != 200) {
        throw new IllegalStateException(url + " returned HTTP " + response.statusCode());
      }
    }
    return millis;
  }

  private static String scenarioYaml(int instances, Duration latency) {
    StringBuilder yaml = new StringBuilder("name: slow-api\ndescription: Every response is slow.\n");
    yaml.append("instances:\n");
    for (int i = 0; i < instances; i++) {
      yaml.append(String.format(Locale.ROOT, """
            - id: 7f3e9b10-5c2d-4a8e-b1f0-%012d
              name: bench-%d
              region: us-south
              timeline:
                - duration: 1h
                  description: All units serve, slowly.
                  fault: {delay: %dms}
                  units:
          """, i, i, latency.toMillis()));
      for (int u = 0; u < Fleet.UNITS_PER_INSTANCE; u++) {
        yaml.append(String.format(Locale.ROOT,
            "          - {id: 4d1c2a9e-0b7f-4e61-%04d-%012d, state: kms-initialized}%n", u, i));
      }
    }
    return yaml.toString();
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[sorted.length / 2];
  }

  private static double max(double[] values) {
    return Arrays.stream(values).max().orElse(0);
  }
}
