package io.github.keyprotectexporter.bench;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.PollListener;
import io.github.keyprotectexporter.polling.Poller;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import io.github.keyprotectexporter.sources.CryptoUnitsParser;
import io.github.keyprotectexporter.sources.PollException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CPU and allocation cost of one instance poll without the network: parsing a crypto-units
 * response of 3 units, and the whole poll path from the source through the state tracker to the
 * snapshot in the store.
 *
 * <p>{@code bench/run PollPathBenchmark -prof gc}. The target is under 50 microseconds per poll.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class PollPathBenchmark {

  /** Instances polled per {@link #pollCycle} call, which JMH divides the time by. */
  static final int INSTANCES = 1000;

  private final CryptoUnitsParser parser = new CryptoUnitsParser();
  private final Map<String, byte[]> bodies = new HashMap<>();
  private String firstId;
  private Poller poller;

  @Setup
  public void setUp() {
    List<InstanceConfig> instances = new ArrayList<>();
    for (int i = 0; i < INSTANCES; i++) {
      String id = String.format("7f3e9b10-5c2d-4a8e-b1f0-%012x", i + 1);
      instances.add(new InstanceConfig(id, "bench-" + i, "us-south", false,
          URI.create("http://127.0.0.1:1")));
      bodies.put(id, body(id).getBytes(StandardCharsets.UTF_8));
    }
    firstId = instances.get(0).id();
    CryptoUnitSource source = this::parseBody;
    // One worker thread, so the result is the cost of a poll on one core.
    PollSettings settings = new PollSettings(Duration.ofSeconds(30), Duration.ofSeconds(10),
        Duration.ofSeconds(90), Duration.ofMinutes(5), 1);
    poller = new Poller(settings, instances, source, new SnapshotStore(instances),
        PollListener.NONE, Clock.systemUTC());
  }

  @TearDown
  public void tearDown() {
    poller.close();
  }

  /** Parses one 3-unit response body. */
  @Benchmark
  public List<CryptoUnit> parse() throws PollException {
    return parser.parse(firstId, bodies.get(firstId));
  }

  /**
   * Polls every instance once through the poller's worker pool: parse, state tracking, snapshot
   * and store update. The units stay the same between polls, as they do most of the time.
   */
  @Benchmark
  @OperationsPerInvocation(INSTANCES)
  public List<InstanceSnapshot> pollCycle() throws InterruptedException {
    return poller.pollAllOnce();
  }

  private List<CryptoUnit> parseBody(InstanceConfig instance) throws PollException {
    return parser.parse(instance.id(), bodies.get(instance.id()));
  }

  /** Returns a response as the crypto-units API sends it, with the resources wrapper. */
  private static String body(String instanceId) {
    StringBuilder units = new StringBuilder();
    String[] states = {"kms-initialized", "kms-initialized", "maintenance"};
    for (int unit = 0; unit < states.length; unit++) {
      if (unit > 0) {
        units.append(',');
      }
      units.append("{\"id\":\"4d1c2a9e-0b7f-4e61-9c3a-").append(instanceId, 24, 35)
          .append(unit).append("\",\"instanceId\":\"").append(instanceId)
          .append("\",\"state\":\"").append(states[unit]).append("\"}");
    }
    return "{\"metadata\":{\"collectionType\":\"application/json\",\"collectionTotal\":3},"
        + "\"resources\":[" + units + "]}";
  }
}
