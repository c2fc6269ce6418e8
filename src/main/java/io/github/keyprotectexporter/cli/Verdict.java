package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.ProbeSnapshot;
import io.github.keyprotectexporter.polling.UnitSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedSet;

/**
 * The health of one instance as the {@code once} command reports it, with exit codes that follow
 * the Nagios plugin convention.
 *
 * @param status the overall status
 * @param reasons why the status is not OK, empty when it is
 */
record Verdict(Status status, List<String> reasons) {

  /** Plugin statuses; {@link #exitCode()} is the process exit code a monitoring system expects. */
  enum Status {
    OK(0),
    WARNING(1),
    CRITICAL(2),
    UNKNOWN(3);

    private final int exitCode;

    Status(int exitCode) {
      this.exitCode = exitCode;
    }

    int exitCode() {
      return exitCode;
    }

    /** Orders statuses for a combined verdict: critical, then unknown, then warning. */
    int severity() {
      return switch (this) {
        case OK -> 0;
        case WARNING -> 1;
        case UNKNOWN -> 2;
        case CRITICAL -> 3;
      };
    }
  }

  /** Starts the reason given when the units report different master-key check values. */
  static final String MISMATCH = "MISMATCH";

  /** Judges one instance from its snapshot. */
  static Verdict of(InstanceSnapshot snapshot, Instant now) {
    if (!snapshot.up() || !snapshot.hasCurrentUnits(now)) {
      String reason = snapshot.lastError() == null
          ? "not polled"
          : "poll failed (" + snapshot.lastError().label() + "): " + snapshot.lastErrorMessage();
      return new Verdict(Status.UNKNOWN, List.of(reason));
    }
    SortedSet<String> checkValues = snapshot.masterKeyCheckValueHashes(now);
    if (checkValues.size() > 1) {
      return new Verdict(Status.CRITICAL, List.of(MISMATCH + ": the crypto units report "
          + checkValues.size() + " different master-key check values (hashes "
          + String.join(", ", checkValues) + "); key operations fail with HTTP 500 or 503"));
    }
    int serving = snapshot.servingUnits(now);
    if (serving == 0) {
      return new Verdict(Status.CRITICAL, List.of("no serving crypto unit: key operations fail"));
    }
    List<String> reasons = warnings(snapshot, serving);
    return new Verdict(reasons.isEmpty() ? Status.OK : Status.WARNING, reasons);
  }

  /** Lists what keeps an instance with at least one serving unit from being fully healthy. */
  private static List<String> warnings(InstanceSnapshot snapshot, int serving) {
    List<String> reasons = new ArrayList<>();
    if (serving == 1) {
      reasons.add("single point of failure: only one serving crypto unit");
    }
    if (snapshot.units().size() < 2) {
      reasons.add("fewer than two crypto units");
    }
    long inMaintenance = count(snapshot, CryptoUnitState.MAINTENANCE);
    if (inMaintenance > 0) {
      reasons.add(inMaintenance + " crypto unit(s) in maintenance");
    }
    long unknown = count(snapshot, CryptoUnitState.UNKNOWN);
    if (unknown > 0) {
      reasons.add(unknown + " crypto unit(s) in an unknown state");
    }
    long notInitialized = snapshot.units().size() - serving - inMaintenance - unknown;
    if (notInitialized > 0) {
      reasons.add(notInitialized + " crypto unit(s) not serving yet (set-up or warm-up)");
    }
    return List.copyOf(reasons);
  }

  /**
   * Judges one instance from its snapshot and its latest key-operation probe. A probe that failed
   * with a 5xx is CRITICAL even while units serve, because key operations fail. A probe that
   * failed for another reason adds a WARNING, because it could not check the key API.
   *
   * @param probe the latest probe, or null when the probe is disabled or did not run
   */
  static Verdict of(InstanceSnapshot snapshot, ProbeSnapshot probe, Instant now) {
    Verdict units = of(snapshot, now);
    if (probe == null || probe.success()) {
      return units;
    }
    List<String> reasons = new ArrayList<>();
    reasons.add("key-operation probe failed (" + probe.failure().label() + "): "
        + probe.failureMessage());
    reasons.addAll(units.reasons());
    Status probeStatus = probe.keyApiFailing() ? Status.CRITICAL : Status.WARNING;
    return new Verdict(worst(List.of(units, new Verdict(probeStatus, List.of()))), reasons);
  }

  /** Returns the most severe status of several verdicts, OK for none. */
  static Status worst(List<Verdict> verdicts) {
    Status worst = Status.OK;
    for (Verdict verdict : verdicts) {
      if (verdict.status().severity() > worst.severity()) {
        worst = verdict.status();
      }
    }
    return worst;
  }

  private static long count(InstanceSnapshot snapshot, CryptoUnitState state) {
    return snapshot.units().stream().map(UnitSnapshot::state).filter(state::equals).count();
  }
}
