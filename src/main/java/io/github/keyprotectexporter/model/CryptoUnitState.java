package io.github.keyprotectexporter.model;

import java.util.Locale;

/**
 * State of a crypto unit as the Key Protect API reports it.
 *
 * <p>The API owns this list, so any value outside it maps to {@link #UNKNOWN} instead of failing.
 * Only {@link #KMS_INITIALIZED} serves key operations.
 */
public enum CryptoUnitState {
  RESERVED("reserved"),
  AVAILABLE("available"),
  CLAIMED("claimed"),
  INITIALIZED("initialized"),
  KMS_AUTHORIZED("kms-authorized"),
  KMS_INITIALIZED("kms-initialized"),
  MAINTENANCE("maintenance"),
  MARKED_FOR_DEL("marked-for-del"),
  ZEROIZED("zeroized"),
  UNKNOWN("unknown");

  private final String label;

  CryptoUnitState(String label) {
    this.label = label;
  }

  /** Returns the state as the API spells it, which is also the value of the {@code state} label. */
  public String label() {
    return label;
  }

  /** Returns true for the one state in which a unit serves key operations. */
  public boolean isServing() {
    return this == KMS_INITIALIZED;
  }

  /**
   * Maps a reported state to a known one, ignoring case and surrounding white space.
   *
   * @return the matching state, or {@link #UNKNOWN} for null, blank or unrecognised values
   */
  public static CryptoUnitState fromReported(String reported) {
    if (reported == null) {
      return UNKNOWN;
    }
    String normalized = reported.strip().toLowerCase(Locale.ROOT);
    for (CryptoUnitState state : values()) {
      if (state != UNKNOWN && state.label.equals(normalized)) {
        return state;
      }
    }
    return UNKNOWN;
  }
}
