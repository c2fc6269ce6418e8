package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.sources.ProbeFailureReason;

/** Receives failed key-operation probes, for {@code keyprotect_kms_probe_failures_total}. */
@FunctionalInterface
public interface ProbeListener {

  ProbeListener NONE = (instanceId, reason) -> {};

  void probeFailed(String instanceId, ProbeFailureReason reason);
}
