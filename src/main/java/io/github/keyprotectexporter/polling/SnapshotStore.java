package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.InstanceConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest {@link InstanceSnapshot} of every configured instance, and the latest {@link
 * ProbeSnapshot} of every probed one. The poller writes, scrapes and pages read; reads never block
 * and never call a source.
 */
public final class SnapshotStore {

  private final List<String> order;
  private final Map<String, InstanceSnapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, ProbeSnapshot> probes = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  /** Creates a store holding a not-polled snapshot for each instance, in config order. */
  public SnapshotStore(List<InstanceConfig> instances) {
    Map<String, InstanceConfig> byId = new LinkedHashMap<>();
    for (InstanceConfig instance : instances) {
      byId.putIfAbsent(instance.id(), instance);
    }
    this.order = List.copyOf(byId.keySet());
    byId.values().forEach(i -> snapshots.put(i.id(), InstanceSnapshot.notPolled(i)));
  }

  /** Replaces the snapshot of a configured instance. */
  public void put(InstanceSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    if (!snapshots.containsKey(snapshot.instanceId())) {
      throw new IllegalArgumentException("instance not configured: " + snapshot.instanceId());
    }
    snapshots.put(snapshot.instanceId(), snapshot);
    generation.incrementAndGet();
  }

  /** Returns the snapshot of one instance, or null when it is not configured. */
  public InstanceSnapshot get(String instanceId) {
    return snapshots.get(instanceId);
  }

  /** Returns the latest snapshot of every instance, in config order. */
  public List<InstanceSnapshot> all() {
    List<InstanceSnapshot> result = new ArrayList<>(order.size());
    for (String id : order) {
      result.add(snapshots.get(id));
    }
    return result;
  }

  /** Replaces the latest key-operation probe of a configured instance. */
  public void putProbe(ProbeSnapshot probe) {
    Objects.requireNonNull(probe, "probe");
    if (!snapshots.containsKey(probe.instanceId())) {
      throw new IllegalArgumentException("instance not configured: " + probe.instanceId());
    }
    probes.put(probe.instanceId(), probe);
    generation.incrementAndGet();
  }

  /**
   * Returns the number of {@link #put} and {@link #putProbe} calls so far. Each call is counted
   * after its snapshot is stored, so a reader that reads this number before the snapshots and later
   * finds it unchanged has missed no update.
   */
  public long generation() {
    return generation.get();
  }

  /**
   * Returns the earliest {@link InstanceSnapshot#unitsExpireAt()} after {@code now}, or null when
   * no units expire later. Until then, only a {@link #put} can change what the snapshots export.
   */
  public Instant nextUnitsExpiry(Instant now) {
    Instant earliest = null;
    for (InstanceSnapshot snapshot : snapshots.values()) {
      Instant expiry = snapshot.unitsExpireAt();
      if (expiry != null && expiry.isAfter(now) && (earliest == null || expiry.isBefore(earliest))) {
        earliest = expiry;
      }
    }
    return earliest;
  }

  /**
   * Returns the latest key-operation probe of one instance, or null when it has not been probed
   * (the probe is disabled, or has not finished yet).
   */
  public ProbeSnapshot probe(String instanceId) {
    return probes.get(instanceId);
  }

  /**
   * Returns whether a configured instance serves key operations at {@code now}, by {@link
   * ProbeSnapshot#ready(InstanceSnapshot, ProbeSnapshot, Instant)}.
   *
   * @throws IllegalArgumentException when the instance is not configured
   */
  public boolean ready(String instanceId, Instant now) {
    InstanceSnapshot snapshot = snapshots.get(instanceId);
    if (snapshot == null) {
      throw new IllegalArgumentException("instance not configured: " + instanceId);
    }
    return ProbeSnapshot.ready(snapshot, probes.get(instanceId), now);
  }

  /** Returns true once every instance has finished at least one poll. */
  public boolean allPolled() {
    return snapshots.values().stream().allMatch(InstanceSnapshot::polled);
  }
}
