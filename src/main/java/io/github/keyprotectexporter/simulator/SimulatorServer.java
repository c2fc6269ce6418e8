package io.github.keyprotectexporter.simulator;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.ProbeSettings;
import io.github.keyprotectexporter.config.Secret;
import io.javalin.Javalin;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP server that simulates the Key Protect crypto-units API, the key API's {@code
 * /api/v2/keys} and the IAM token endpoint, driven by a {@link Scenario}.
 *
 * <pre>{@code
 * try (SimulatorServer simulator =
 *     SimulatorServer.builder(BuiltInScenarios.load("demo")).port(0).build().start()) {
 *   URI tokenUrl = simulator.tokenUrl(); // where the agent exchanges an API key for a token
 *   List<InstanceConfig> instances = simulator.instanceConfigs(); // endpoints point here
 * }
 * }</pre>
 *
 * <p>The scenario clock starts at {@link #start()}. Every instance is served on the same base URL
 * and chosen by the {@code Bluemix-Instance} header, as the real API does.
 */
public final class SimulatorServer implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(SimulatorServer.class);

  private final Scenario scenario;
  private final String host;
  private final int requestedPort;
  private final ScenarioPlayer player;
  private final RequestStats stats = new RequestStats();
  private final Javalin app;
  private ScheduledExecutorService stepAnnouncer;
  private volatile boolean started;
  private volatile int boundPort;

  private SimulatorServer(Builder builder) {
    this.scenario = builder.scenario;
    this.host = builder.host;
    this.requestedPort = builder.port;
    this.player = new ScenarioPlayer(scenario, builder.clock);
    TokenIssuer issuer = new TokenIssuer(builder.clock, builder.tokenLifetime, builder.apiKey);
    IamTokenEndpoint tokens = new IamTokenEndpoint(issuer, stats);
    InstanceRequestCheck check = new InstanceRequestCheck(scenario, issuer);
    CryptoUnitsEndpoint units = new CryptoUnitsEndpoint(player, check, stats);
    KeysEndpoint keys = new KeysEndpoint(player, check, stats);
    StatsEndpoint statsEndpoint = new StatsEndpoint(stats, player);
    this.app =
        Javalin.create(
            cfg -> {
              cfg.startup.showJavalinBanner = false;
              cfg.startup.showOldJavalinVersionWarning = false;
              cfg.jetty.host = host;
              cfg.jetty.port = requestedPort;
              cfg.routes.post(IamTokenEndpoint.PATH, tokens::handle);
              cfg.routes.get(CryptoUnitsEndpoint.PATH, units::handle);
              cfg.routes.head(KeysEndpoint.PATH, keys::handle);
              cfg.routes.get(KeysEndpoint.PATH, keys::handle);
              cfg.routes.get(StatsEndpoint.PATH, statsEndpoint::handle);
            });
  }

  /** Starts building a simulator for {@code scenario}, bound to 127.0.0.1 on an ephemeral port. */
  public static Builder builder(Scenario scenario) {
    return new Builder(scenario);
  }

  /**
   * Binds the port, starts the scenario clock and logs the address.
   *
   * @return this server, for chaining
   * @throws IllegalStateException when called twice
   */
  public synchronized SimulatorServer start() {
    if (started) {
      throw new IllegalStateException("The simulator is already started");
    }
    app.start();
    boundPort = app.port();
    started = true;
    logger.info(
        "Simulator listening on {} with scenario {} ({} instances, loop={})",
        baseUrl(),
        scenario.name(),
        scenario.instances().size(),
        scenario.loop());
    player.start();
    stepAnnouncer = Executors.newSingleThreadScheduledExecutor(SimulatorServer::daemonThread);
    stepAnnouncer.scheduleWithFixedDelay(player::announceSteps, 1, 1, TimeUnit.SECONDS);
    return this;
  }

  /** Returns the port the server listens on, which is the real one when port 0 was requested. */
  public int port() {
    requireStarted();
    return boundPort;
  }

  /** Returns the base URL of the crypto-units API, such as {@code http://127.0.0.1:40123}. */
  public URI baseUrl() {
    String hostPart = host.contains(":") ? "[" + host + "]" : host;
    return URI.create("http://" + hostPart + ":" + port());
  }

  /** Returns the URL of the request statistics, {@code <base URL>/simulator/stats}. */
  public URI statsUrl() {
    return URI.create(baseUrl() + StatsEndpoint.PATH);
  }

  /** Returns the URL of the IAM token endpoint, {@code <base URL>/identity/token}. */
  public URI tokenUrl() {
    return URI.create(baseUrl() + IamTokenEndpoint.PATH);
  }

  public Scenario scenario() {
    return scenario;
  }

  /** Returns the simulated instances with their id, name and region. */
  public List<SimulatedInstance> instances() {
    return scenario.instances();
  }

  /** Returns one agent instance entry per simulated instance, with this server as endpoint. */
  public List<InstanceConfig> instanceConfigs() {
    URI endpoint = baseUrl();
    return scenario.instances().stream()
        .map(instance -> new InstanceConfig(
            instance.id(), instance.name(), instance.region(), false, endpoint))
        .toList();
  }

  /**
   * Returns one agent instance entry per simulated instance, with this server as endpoint of both
   * the crypto-units API and the key-operation probe, which runs every {@code probeInterval}.
   */
  public List<InstanceConfig> instanceConfigs(Duration probeInterval) {
    ProbeSettings probe = new ProbeSettings(true, probeInterval, baseUrl());
    return instanceConfigs().stream().map(instance -> instance.withProbe(probe)).toList();
  }

  /**
   * Returns the step an instance is in now.
   *
   * @throws IllegalArgumentException when the scenario has no instance with that id
   */
  public TimelineStep currentStep(String instanceId) {
    SimulatedInstance instance =
        scenario.instance(instanceId)
            .orElseThrow(() -> new IllegalArgumentException(
                "Scenario " + scenario.name() + " has no instance " + instanceId));
    return player.currentStep(instance);
  }

  /** Returns the number of crypto-units requests routed to an instance so far. */
  public long requestCount(String instanceId) {
    return stats.instanceRequests(instanceId);
  }

  /** Returns the number of crypto-units requests routed to each instance so far, by id. */
  public Map<String, Long> requestCounts() {
    return stats.instanceRequests();
  }

  /** Returns the number of key API requests routed to an instance so far. */
  public long keyApiRequestCount(String instanceId) {
    return stats.keyApiRequests(instanceId);
  }

  /** Returns the number of all crypto-units requests so far, including rejected ones. */
  public long totalRequests() {
    return stats.totalCryptoUnitRequests();
  }

  /** Returns the number of token requests so far, including rejected ones. */
  public long tokenRequests() {
    return stats.tokenRequests();
  }

  /** Returns the number of crypto-units requests being served now. */
  public int inFlight() {
    return stats.inFlight();
  }

  /** Returns the maximum number of crypto-units requests served at the same time so far. */
  public int maxInFlight() {
    return stats.maxInFlight();
  }

  /** Stops the server. Requests still waiting out a fault's delay are cut off. */
  @Override
  public synchronized void close() {
    if (stepAnnouncer != null) {
      stepAnnouncer.shutdownNow();
    }
    app.stop();
    if (started) {
      logger.info("Simulator on {} stopped", baseUrl());
    }
  }

  private void requireStarted() {
    if (!started) {
      throw new IllegalStateException("The simulator has no port until start() is called");
    }
  }

  private static Thread daemonThread(Runnable task) {
    Thread thread = new Thread(task, "simulator-steps");
    thread.setDaemon(true);
    return thread;
  }

  /** Settings of a {@link SimulatorServer}, each with a default. */
  public static final class Builder {

    private final Scenario scenario;
    private String host = "127.0.0.1";
    private int port = 0;
    private Clock clock = Clock.systemUTC();
    private Secret apiKey;
    private Duration tokenLifetime = Duration.ofHours(1);

    private Builder(Scenario scenario) {
      this.scenario = Objects.requireNonNull(scenario, "scenario");
    }

    /** Sets the address to bind, 127.0.0.1 by default. */
    public Builder host(String host) {
      this.host = Objects.requireNonNull(host, "host");
      return this;
    }

    /** Sets the port to bind. The default 0 picks a free port, which {@link #port()} returns. */
    public Builder port(int port) {
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port " + port + " is not between 0 and 65535");
      }
      this.port = port;
      return this;
    }

    /** Sets the clock for the scenario timeline and token expiry, so tests can step time. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Sets the only API key the token endpoint accepts. By default any non-empty key works. */
    public Builder apiKey(Secret apiKey) {
      this.apiKey = apiKey;
      return this;
    }

    /** Sets how long issued tokens stay valid, one hour by default as with IBM Cloud IAM. */
    public Builder tokenLifetime(Duration tokenLifetime) {
      if (tokenLifetime.isNegative() || tokenLifetime.isZero()
          || tokenLifetime.toMillis() % 1000 != 0) {
        throw new IllegalArgumentException(
            "token lifetime " + tokenLifetime + " is not a positive whole number of seconds");
      }
      this.tokenLifetime = tokenLifetime;
      return this;
    }

    public SimulatorServer build() {
      return new SimulatorServer(this);
    }
  }
}
