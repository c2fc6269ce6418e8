package io.github.keyprotectexporter.model;

import java.util.Objects;

/**
 * One crypto unit as a source read it.
 *
 * @param id the unit id, never blank
 * @param state the normalised state
 * @param reportedState the state exactly as the source reported it (may be null), kept so that an
 *     {@link CryptoUnitState#UNKNOWN} state can be logged with its raw value
 * @param masterKeyCheckValue the check value of the unit's master key as an HSM administrator tool
 *     reports it, or null when the source does not report one (the Key Protect API never does).
 *     It is never logged or exported: use {@link #masterKeyCheckValueHash()}.
 * @param location where the unit is, as the source describes it (a data center or rack), or null
 */
public record CryptoUnit(
    String id,
    CryptoUnitState state,
    String reportedState,
    String masterKeyCheckValue,
    String location) {

  public CryptoUnit {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(state, "state");
    masterKeyCheckValue =
        masterKeyCheckValue == null || masterKeyCheckValue.isBlank() ? null : masterKeyCheckValue;
    location = location == null || location.isBlank() ? null : location;
  }

  /** Creates a unit without a master-key check value or location, as the API reports it. */
  public CryptoUnit(String id, CryptoUnitState state, String reportedState) {
    this(id, state, reportedState, null, null);
  }

  /** Creates a unit from a reported state string, normalising it. */
  public static CryptoUnit of(String id, String reportedState) {
    return new CryptoUnit(id, CryptoUnitState.fromReported(reportedState), reportedState);
  }

  /** Creates a unit from a reported state string, with the facts that only adapters report. */
  public static CryptoUnit of(
      String id, String reportedState, String masterKeyCheckValue, String location) {
    return new CryptoUnit(
        id,
        CryptoUnitState.fromReported(reportedState),
        reportedState,
        masterKeyCheckValue,
        location);
  }

  /** Returns the {@link MasterKeyCheckValues#hash hash} of the check value, or null without one. */
  public String masterKeyCheckValueHash() {
    return MasterKeyCheckValues.hash(masterKeyCheckValue);
  }

  /** Describes the unit with the hash of its check value, never the value itself. */
  @Override
  public String toString() {
    return "CryptoUnit[id="
        + id
        + ", state="
        + state.label()
        + ", reportedState="
        + reportedState
        + ", masterKeyCheckValueHash="
        + masterKeyCheckValueHash()
        + ", location="
        + location
        + "]";
  }
}
