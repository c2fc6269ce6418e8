package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.sources.KeyProbe;
import io.github.keyprotectexporter.sources.ProbeException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-memory key probe whose outcome per instance a test sets, and which records how many probes
 * ran and overlapped. Optionally blocks every probe until a latch opens.
 */
final class ScriptedProbe implements KeyProbe {

  private final Map<String, Exception> failures = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> probesByInstance = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> inFlightByInstance = new ConcurrentHashMap<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final AtomicInteger peakPerInstance = new AtomicInteger();
  private volatile CountDownLatch gate = new CountDownLatch(0);

  void succeed(String instanceId) {
    failures.remove(instanceId);
  }

  void fail(String instanceId, ProbeException failure) {
    failures.put(instanceId, failure);
  }

  void crash(String instanceId, RuntimeException bug) {
    failures.put(instanceId, bug);
  }

  void holdProbes(CountDownLatch gate) {
    this.gate = gate;
  }

  int probes(String instanceId) {
    AtomicInteger count = probesByInstance.get(instanceId);
    return count == null ? 0 : count.get();
  }

  int totalProbes() {
    return probesByInstance.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  int peakInFlight() {
    return peakInFlight.get();
  }

  int peakInFlightPerInstance() {
    return peakPerInstance.get();
  }

  @Override
  public void probe(InstanceConfig instance) throws ProbeException {
    probesByInstance.computeIfAbsent(instance.id(), id -> new AtomicInteger()).incrementAndGet();
    AtomicInteger mine = inFlightByInstance.computeIfAbsent(instance.id(), id -> new AtomicInteger());
    peakPerInstance.accumulateAndGet(mine.incrementAndGet(), Math::max);
    peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try {
      gate.await();
      Exception failure = failures.get(instance.id());
      if (failure instanceof ProbeException probeFailure) {
        throw probeFailure;
      }
      if (failure instanceof RuntimeException bug) {
        throw bug;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    } finally {
      inFlight.decrementAndGet();
      mine.decrementAndGet();
    }
  }
}
