package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.config.InstanceConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest {@link InstanceSnapshot} of every configured instance. The poller writes, scrapes and
 * pages read; reads never block and never call a source.
 */
public final class SnapshotStore {

  private final List<String> order;
  private final Map<String, InstanceSnapshot> snapshots = new ConcurrentHashMap<>();

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

  /** Returns true once every instance has finished at least one poll. */
  public boolean allPolled() {
    return snapshots.values().stream().allMatch(InstanceSnapshot::polled);
  }
}
