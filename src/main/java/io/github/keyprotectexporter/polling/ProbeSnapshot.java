package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.sources.ProbeFailureReason;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The result of the latest key-operation probe of one instance. Immutable: every probe replaces
 * the whole snapshot.
 *
 * @param instanceId the instance GUID
 * @param probedAt when the probe ended
 * @param duration how long the probe took, token requests included
 * @param failure why the probe failed, null when it succeeded
 * @param failureMessage a short, secret-free description of the failure, null when it succeeded
 */
public record ProbeSnapshot(
    String instanceId,
    Instant probedAt,
    Duration duration,
    ProbeFailureReason failure,
    String failureMessage) {

  public ProbeSnapshot {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(probedAt, "probedAt");
    Objects.requireNonNull(duration, "duration");
  }

  /** Returns the snapshot of a successful probe. */
  public static ProbeSnapshot succeeded(String instanceId, Instant probedAt, Duration duration) {
    return new ProbeSnapshot(instanceId, probedAt, duration, null, null);
  }

  public boolean success() {
    return failure == null;
  }

  /**
   * Returns true when the key API returned a 5xx status, which while the units are {@code
   * kms-initialized} is the symptom of a master-key mismatch.
   */
  public boolean keyApiFailing() {
    return failure != null && failure.isServerError();
  }

  /**
   * Decides whether an instance serves key operations: at least one current unit serves, and the
   * latest probe, if there is one, did not fail with a 5xx. A probe that failed for another
   * reason (auth, timeout, network, other) does not show whether the service works, so it does
   * not count.
   *
   * @param probe the latest probe, or null when the probe is disabled or has not run yet
   */
  public static boolean ready(InstanceSnapshot snapshot, ProbeSnapshot probe, Instant now) {
    return snapshot.ready(now) && (probe == null || !probe.keyApiFailing());
  }
}
