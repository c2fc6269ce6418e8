package io.github.keyprotectexporter.sources;

/**
 * The cause of a failed key-operation probe. Each value is a {@code reason} label of {@code
 * keyprotect_kms_probe_failures_total}.
 */
public enum ProbeFailureReason {
  /** The key API returned 503 with the text {@code no healthy upstream}. */
  NO_HEALTHY_UPSTREAM("no_healthy_upstream", true),
  /** The key API returned 503 without that text. */
  UNAVAILABLE("unavailable", true),
  /** The key API returned 500 or another 5xx status. */
  SERVER_ERROR("server_error", true),
  /** The key API or IAM returned 429. */
  RATE_LIMITED("rate_limited", false),
  /** IAM rejected the API key, or the key API returned 401 after one token refresh, or 403. */
  AUTH("auth", false),
  /** No complete response within {@code poll.timeout}. */
  TIMEOUT("timeout", false),
  /** Connection refused, reset, DNS failure or another transport error. */
  NETWORK("network", false),
  /**
   * Any other failure: a 4xx or 3xx status, or a failed token request whose cause is not AUTH,
   * RATE_LIMITED, TIMEOUT or NETWORK.
   */
  OTHER("other", false);

  private final String label;
  private final boolean serverError;

  ProbeFailureReason(String label, boolean serverError) {
    this.label = label;
    this.serverError = serverError;
  }

  /** Returns the value of the {@code reason} label. */
  public String label() {
    return label;
  }

  /**
   * Returns true for the 5xx reasons, the symptom of a master-key mismatch when the units are
   * {@code kms-initialized}.
   */
  public boolean isServerError() {
    return serverError;
  }
}
