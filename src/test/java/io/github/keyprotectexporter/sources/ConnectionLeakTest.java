package io.github.keyprotectexporter.sources;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.polling.PollListener;
import io.github.keyprotectexporter.polling.Poller;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.testing.HttpFault;
import io.github.keyprotectexporter.testing.MutableClock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Stream;
import okhttp3.ConnectionPool;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Thousands of failing polls through the real API source and poller leave no connection, socket,
 * thread or heap behind. Every bound is generous because the JVM and WireMock share the process,
 * and every wait is for an outcome, never for a time.
 */
class ConnectionLeakTest {

  private static final String UNITS_JSON = """
      [{"id": "u1", "state": "kms-initialized"}]""";
  private static final int FAILED_POLLS = 3000;
  private static final int MAX_EXTRA_SOCKETS = 16;
  private static final int MAX_EXTRA_THREADS = 12;
  private static final long MAX_EXTRA_HEAP_BYTES = 64L * 1024 * 1024;

  // Without a request journal, because WireMock would keep every 1 MiB response it sent.
  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance()
          .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort()
              .disableRequestJournal())
          .build();

  /** Held in a field, because JUL keeps loggers only weakly and would drop the handler. */
  private final Logger okHttpLogger = Logger.getLogger(OkHttpClient.class.getName());
  private final List<String> okHttpWarnings = new CopyOnWriteArrayList<>();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      okHttpWarnings.add(String.valueOf(record.getMessage()));
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));
  // A short keep-alive makes the pool check for leaked calls every second, not every 5 minutes.
  // Everything else is the client that the agent builds.
  private final OkHttpClient http = HttpCalls.newClient(Duration.ofSeconds(1)).newBuilder()
      .connectionPool(new ConnectionPool(5, 1, TimeUnit.SECONDS))
      .build();

  @BeforeEach
  void captureOkHttpLog() {
    okHttpLogger.addHandler(capture);
    // The leak that the capture check causes on purpose need not reach the console.
    okHttpLogger.setUseParentHandlers(false);
  }

  @AfterEach
  void release() {
    okHttpLogger.removeHandler(capture);
    okHttpLogger.setUseParentHandlers(true);
    HttpCalls.shutDown(http);
  }

  @Test
  void failingPollsLeakNothing() throws Exception {
    server.stubFor(post(urlPathEqualTo("/identity/token")).willReturn(
        okJson(FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600))));
    List<InstanceConfig> instances = faultyInstances();
    IamTokenProvider tokens = new IamTokenProvider(http,
        URI.create(server.baseUrl() + "/identity/token"), FakeSecrets.apiKey(), clock,
        ApiRequestListener.NONE);
    KeyProtectApiSource source =
        new KeyProtectApiSource(http, tokens, ApiRequestListener.NONE, new UnknownStateLog());
    server.stubFor(get(urlPathEqualTo("/healthy/api/v1/cryptounits"))
        .willReturn(okJson(UNITS_JSON)));
    InstanceConfig healthy = instance("healthy", server.baseUrl() + "/healthy");
    // The first requests of a cold JVM may take longer than the timeout, so they may repeat.
    await().atMost(Duration.ofMinutes(1)).ignoreExceptions()
        .until(() -> source.listCryptoUnits(healthy).size() == 1);
    Baseline baseline = Baseline.measure();

    AtomicInteger failures = new AtomicInteger();
    PollListener countFailures = (instanceId, reason) -> failures.incrementAndGet();
    // Two workers wait out the timeouts of the slow faults, the others keep the fast ones coming.
    PollSettings settings = new PollSettings(Duration.ofMillis(5), Duration.ofSeconds(1),
        Duration.ofSeconds(90), Duration.ZERO, 8);
    try (Poller poller = new Poller(settings, instances, source, new SnapshotStore(instances),
        countFailures, clock)) {
      poller.start();
      await().atMost(Duration.ofMinutes(5)).until(() -> failures.get() >= FAILED_POLLS);
    }

    await().atMost(Duration.ofMinutes(1)).untilAsserted(() -> {
      System.gc();
      ConnectionPool pool = http.connectionPool();
      assertThat(pool.connectionCount() - pool.idleConnectionCount())
          .as("connections in use").isZero();
      assertThat(openSockets()).as("open sockets").isLessThanOrEqualTo(
          baseline.sockets() + MAX_EXTRA_SOCKETS);
      assertThat(liveThreads()).as("live threads %s", threadNames()).isLessThanOrEqualTo(
          baseline.threads() + MAX_EXTRA_THREADS);
      assertThat(usedHeap()).as("heap after GC").isLessThanOrEqualTo(
          baseline.heap() + MAX_EXTRA_HEAP_BYTES);
    });
    assertThat(okHttpWarnings).noneMatch(message -> message.contains("leaked"));
  }

  @Test
  void captureSeesLeakedBody() throws Exception {
    server.stubFor(get(urlPathEqualTo("/leak")).willReturn(okJson(UNITS_JSON)));

    leakOneResponse();

    // The pool notices a leak once the call is garbage and its next check runs.
    await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> {
      System.gc();
      return okHttpWarnings.stream().anyMatch(message -> message.contains("was leaked"));
    });
  }

  /** Executes a call and drops its response without closing the body. */
  private void leakOneResponse() throws IOException {
    Response response = http.newCall(
        new Request.Builder().url(server.baseUrl() + "/leak").build()).execute();
    assertThat(response.code()).isEqualTo(200);
  }

  /** Returns one instance per fault, each under its own endpoint path, and one at a closed port. */
  private List<InstanceConfig> faultyInstances() throws IOException {
    List<InstanceConfig> instances = new ArrayList<>();
    for (HttpFault fault : HttpFault.values()) {
      if (fault == HttpFault.REFUSED) {
        instances.add(instance(fault.name(), closedPortUrl()));
        continue;
      }
      stub(fault.name(), fault.response(UNITS_JSON));
      instances.add(instance(fault.name(), server.baseUrl() + "/" + fault.name()));
    }
    for (int status : new int[] {404, 429, 500, 503}) {
      String name = "status-" + status;
      stub(name, aResponse().withStatus(status).withBody("x".repeat(64 * 1024)));
      instances.add(instance(name, server.baseUrl() + "/" + name));
    }
    return instances;
  }

  private static void stub(String prefix, ResponseDefinitionBuilder response) {
    server.stubFor(get(urlPathEqualTo("/" + prefix + "/api/v1/cryptounits")).willReturn(response));
  }

  private static InstanceConfig instance(String name, String endpoint) {
    // Distinct ids, so that the poller keeps one poll per fault.
    String id = String.format("7f3e9b10-5c2d-4a8e-b1f0-%012x", Math.abs(name.hashCode()));
    return new InstanceConfig(id, name, "us-south", false, URI.create(endpoint));
  }

  private static String closedPortUrl() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  /** Counts the process's open socket descriptors, client and server side. */
  private static long openSockets() throws IOException {
    long sockets = 0;
    try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
      for (Path descriptor : descriptors.toList()) {
        try {
          if (Files.readSymbolicLink(descriptor).toString().startsWith("socket:")) {
            sockets++;
          }
        } catch (IOException e) {
          // Closed between the listing and the read.
        }
      }
    }
    return sockets;
  }

  /**
   * Counts live threads outside WireMock's Jetty pool ({@code qtp...}), which grows while slow
   * stubs hold requests that the client abandoned and shrinks only after its idle timeout.
   */
  private static long liveThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(thread -> !thread.getName().startsWith("qtp"))
        .count();
  }

  private static List<String> threadNames() {
    return Thread.getAllStackTraces().keySet().stream().map(Thread::getName).sorted().toList();
  }

  private static long usedHeap() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private record Baseline(long sockets, long threads, long heap) {
    static Baseline measure() throws IOException {
      return new Baseline(openSockets(), liveThreads(), usedHeap());
    }
  }
}
