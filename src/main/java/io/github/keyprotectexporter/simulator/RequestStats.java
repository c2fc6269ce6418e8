package io.github.keyprotectexporter.simulator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** Counts the requests the simulator received, for tests and benchmarks that check the load. */
final class RequestStats {

  private final Map<String, LongAdder> cryptoUnitRequests = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> keyApiRequests = new ConcurrentHashMap<>();
  private final LongAdder totalCryptoUnitRequests = new LongAdder();
  private final LongAdder tokenRequests = new LongAdder();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger maxInFlight = new AtomicInteger();

  void cryptoUnitRequestStarted() {
    totalCryptoUnitRequests.increment();
    int current = inFlight.incrementAndGet();
    maxInFlight.accumulateAndGet(current, Math::max);
  }

  void cryptoUnitRequestFinished() {
    inFlight.decrementAndGet();
  }

  void countInstanceRequest(String instanceId) {
    cryptoUnitRequests.computeIfAbsent(instanceId, id -> new LongAdder()).increment();
  }

  void countKeyApiRequest(String instanceId) {
    keyApiRequests.computeIfAbsent(instanceId, id -> new LongAdder()).increment();
  }

  long keyApiRequests(String instanceId) {
    LongAdder count = keyApiRequests.get(instanceId);
    return count == null ? 0 : count.sum();
  }

  void countTokenRequest() {
    tokenRequests.increment();
  }

  long instanceRequests(String instanceId) {
    LongAdder count = cryptoUnitRequests.get(instanceId);
    return count == null ? 0 : count.sum();
  }

  Map<String, Long> instanceRequests() {
    Map<String, Long> counts = new TreeMap<>();
    cryptoUnitRequests.forEach((id, count) -> counts.put(id, count.sum()));
    return counts;
  }

  long totalCryptoUnitRequests() {
    return totalCryptoUnitRequests.sum();
  }

  long tokenRequests() {
    return tokenRequests.sum();
  }

  int inFlight() {
    return inFlight.get();
  }

  int maxInFlight() {
    return maxInFlight.get();
  }
}
