package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.sources.CryptoUnitSource;
import io.github.keyprotectexporter.sources.PollException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory source whose answer per instance a test sets, and which records how many reads
 * overlapped. Optionally blocks every read until a latch opens.
 */
final class ScriptedSource implements CryptoUnitSource {

  /** What the next reads of an instance return: units, or a failure to throw. */
  record Answer(List<CryptoUnit> units, RuntimeException bug, PollException failure) {}

  private final Map<String, Answer> answers = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlightByInstance = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final AtomicInteger peakPerInstance = new AtomicInteger();
  private final AtomicInteger reads = new AtomicInteger();
  private final Map<String, AtomicInteger> readsByInstance = new ConcurrentHashMap<>();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  void answer(String instanceId, CryptoUnit... units) {
    answers.put(instanceId, new Answer(List.of(units), null, null));
  }

  void fail(String instanceId, PollException failure) {
    answers.put(instanceId, new Answer(null, null, failure));
  }

  void crash(String instanceId, RuntimeException bug) {
    answers.put(instanceId, new Answer(null, bug, null));
  }

  void holdReads(CountDownLatch gate) {
    this.gate = gate;
  }

  int peakInFlight() {
    return peakInFlight.get();
  }

  int peakInFlightPerInstance() {
    return peakPerInstance.get();
  }

  int reads() {
    return reads.get();
  }

  int readsOf(String instanceId) {
    AtomicInteger count = readsByInstance.get(instanceId);
    return count == null ? 0 : count.get();
  }

  @Override
  public List<CryptoUnit> listCryptoUnits(InstanceConfig instance) throws PollException {
    reads.incrementAndGet();
    readsByInstance.computeIfAbsent(instance.id(), id -> new AtomicInteger()).incrementAndGet();
    AtomicInteger mine = inFlightByInstance.computeIfAbsent(instance.id(), id -> new AtomicInteger());
    peakPerInstance.accumulateAndGet(mine.incrementAndGet(), Math::max);
    peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      gate.await();
      Answer answer = answers.getOrDefault(instance.id(), new Answer(List.of(), null, null));
      if (answer.failure() != null) {
        throw answer.failure();
      }
      if (answer.bug() != null) {
        throw answer.bug();
      }
      return answer.units();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      inFlight.decrementAndGet();
      mine.decrementAndGet();
    }
  }
}
