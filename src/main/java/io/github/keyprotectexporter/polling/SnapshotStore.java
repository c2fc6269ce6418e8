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
  private final AtomicLong allUpdates = new AtomicLong();
  /** The latest time passed to {@link #nextUnitsExpiry}, as epoch milliseconds. */
  private final AtomicLong latestExpiryQuery = new AtomicLong(Long.MIN_VALUE);

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
    allUpdates.incrementAndGet();
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

  /**
   * Replaces the snapshot of a configured instance, and counts an update when the metrics that
   * the scrape cache keeps can differ: see {@link #changesCachedMetrics}.
   */
  public void put(InstanceSnapshot snapshot) {
    Objects.requireNonNull(snapshot, "snapshot");
    if (!snapshots.containsKey(snapshot.instanceId())) {
      throw new IllegalArgumentException("instance not configured: " + snapshot.instanceId());
    }
    InstanceSnapshot previous = snapshots.put(snapshot.instanceId(), snapshot);
    if (changesCachedMetrics(previous, snapshot)) {
      generation.incrementAndGet();
    }
    allUpdates.incrementAndGet();
  }

  /**
   * Returns true unless {@code next} differs from {@code previous} only in fields that no cached
   * metric family reads: the poll time, the poll duration, the error message, and an expiry that
   * moves later while the units have not expired at any time a reader asked about. The poll
   * time and duration are exported by families that {@link #allUpdates} covers.
   */
  private boolean changesCachedMetrics(InstanceSnapshot previous, InstanceSnapshot next) {
    if (previous == null
        || !previous.instance().equals(next.instance())
        || previous.up() != next.up()
        || previous.polled() != next.polled()
        || previous.lastError() != next.lastError()
        || !previous.units().equals(next.units())) {
      return true;
    }
    Instant before = previous.unitsExpireAt();
    Instant after = next.unitsExpireAt();
    if (Objects.equals(before, after)) {
      return false;
    }
    // A reader may have exported the units as stale at a time at or after the old expiry, and
    // a later expiry makes them current again. An earlier expiry than the one a reader noted as
    // its next timed change would go unnoticed.
    return before == null
        || after == null
        || after.isBefore(before)
        || before.toEpochMilli() <= latestExpiryQuery.get();
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
    ProbeSnapshot previous = probes.put(probe.instanceId(), probe);
    // The probe time and duration are exported only by families that allUpdates covers.
    if (previous == null
        || previous.success() != probe.success()
        || previous.keyApiFailing() != probe.keyApiFailing()) {
      generation.incrementAndGet();
    }
    allUpdates.incrementAndGet();
  }

  /**
   * Returns the number of updates so far: reloads, and {@link #put} and {@link #putProbe} calls
   * that change what the cached metric families export. Each update is counted after its snapshot
   * is stored, so a reader that reads this number before the snapshots and later finds it
   * unchanged has missed no update of those families.
   */
  public long generation() {
    return generation.get();
  }

  /**
   * Returns the number of updates of any kind so far: reloads and every {@link #put} and {@link
   * #putProbe} call. As with {@link #generation}, each is counted after its snapshot is stored.
   */
  public long allUpdates() {
    return allUpdates.get();
  }

  /**
   * Returns the earliest {@link InstanceSnapshot#unitsExpireAt()} after {@code now}, or null when
   * no units expire later. Until then, only a counted update can change what the cached families
   * export. It records {@code now}, so that a later {@link #put} of units that had expired by then
   * counts as an update even when only their expiry moved.
   */
  public Instant nextUnitsExpiry(Instant now) {
    latestExpiryQuery.accumulateAndGet(now.toEpochMilli(), Math::max);
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
