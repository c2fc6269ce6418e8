package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.InstanceConfig;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The latest {@link InstanceSnapshot} of every configured instance, and the latest {@link
 * ProbeSnapshot} of every probed one. The poller writes, scrapes and pages read; reads never block
 * and never call a source.
 */
public final class SnapshotStore {

  /** Instance ids in config order. A config reload replaces the whole list. */
  private volatile List<String> order;
  private final Map<String, InstanceSnapshot> snapshots = new ConcurrentHashMap<>();
  private final Map<String, ProbeSnapshot> probes = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  /** Creates a store holding a not-polled snapshot for each instance, in config order. */
  public SnapshotStore(List<InstanceConfig> instances) {
    Map<String, InstanceConfig> byId = byId(instances);
    this.order = List.copyOf(byId.keySet());
    byId.values().forEach(i -> snapshots.put(i.id(), InstanceSnapshot.notPolled(i)));
  }

  /**
   * Switches the store to a reloaded list of instances. Removed instances and their probes are
   * dropped, added ones get a not-polled snapshot, and the others keep their snapshot under their
   * new settings. The probe of an instance whose probe is now disabled is dropped too. Call it
   * only while no poll runs, because a poll of a removed instance would fail to store its result.
   */
  public synchronized void reconfigure(List<InstanceConfig> instances) {
    Map<String, InstanceConfig> byId = byId(instances);
    for (InstanceConfig instance : byId.values()) {
      InstanceSnapshot previous = snapshots.get(instance.id());
      snapshots.put(instance.id(), previous == null
          ? InstanceSnapshot.notPolled(instance)
          : withInstance(previous, instance));
      if (!instance.probe().enabled()) {
        probes.remove(instance.id());
      }
    }
    // Readers walk the order and skip ids without a snapshot, so the order changes before any
    // snapshot is removed.
    this.order = List.copyOf(byId.keySet());
    Set<String> removed = new HashSet<>(snapshots.keySet());
    removed.removeAll(byId.keySet());
    for (String id : removed) {
      snapshots.remove(id);
      probes.remove(id);
    }
    generation.incrementAndGet();
  }

  private static Map<String, InstanceConfig> byId(List<InstanceConfig> instances) {
    Map<String, InstanceConfig> byId = new LinkedHashMap<>();
    for (InstanceConfig instance : instances) {
      byId.putIfAbsent(instance.id(), instance);
    }
    return byId;
  }

  private static InstanceSnapshot withInstance(InstanceSnapshot snapshot, InstanceConfig instance) {
    return new InstanceSnapshot(instance, snapshot.units(), snapshot.unitsPolledAt(),
        snapshot.unitsExpireAt(), snapshot.polled(), snapshot.up(), snapshot.lastPollDuration(),
        snapshot.lastError(), snapshot.lastErrorMessage());
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
    List<String> ids = order;
    List<InstanceSnapshot> result = new ArrayList<>(ids.size());
    for (String id : ids) {
      InstanceSnapshot snapshot = snapshots.get(id);
      // Null only for an instance that a reload is removing at this moment.
      if (snapshot != null) {
        result.add(snapshot);
      }
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
    return all().stream().allMatch(InstanceSnapshot::polled);
  }
}
