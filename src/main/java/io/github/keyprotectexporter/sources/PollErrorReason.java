package io.github.keyprotectexporter.sources;

/**
 * Cause of a failed poll. Each value is a {@code reason} label of {@code
 * keyprotect_poll_errors_total}.
 */
public enum PollErrorReason {
  /** IAM rejected the API key, or the API returned 401 or 403 even after a token refresh. */
  AUTH("auth"),
  /** The API returned 429. */
  RATE_LIMITED("rate_limited"),
  /** No complete response within {@code poll.timeout}. */
  TIMEOUT("timeout"),
  /** Connection refused, reset, DNS failure or another transport error. */
  NETWORK("network"),
  /** The API returned a 5xx status. */
  SERVER_ERROR("server_error"),
  /** The API returned a 4xx status other than 401, 403 and 429. */
  CLIENT_ERROR("client_error"),
  /** A 2xx response whose body is not a crypto-unit list. */
  BAD_RESPONSE("bad_response"),
  /** An adapter document whose {@code generatedAt} is older than {@code poll.stale_after}. */
  STALE_SOURCE("stale_source"),
  /** An adapter file that is missing or cannot be read. */
  SOURCE_UNAVAILABLE("source_unavailable"),
  /** A command that could not be started or exited with a status other than 0. */
  COMMAND_FAILED("command_failed"),
  /** A command that did not exit within its timeout, so it was killed with its child processes. */
  COMMAND_TIMEOUT("command_timeout"),
  /** Command output or an adapter file larger than its size limit. */
  OUTPUT_TOO_LARGE("output_too_large"),
  /**
   * Command output or an adapter file that is not a valid document: not UTF-8 text, not parseable,
   * incomplete, or without the instance.
   */
  BAD_OUTPUT("bad_output");

  private final String label;

  PollErrorReason(String label) {
    this.label = label;
  }

  /** Returns the value of the {@code reason} label. */
  public String label() {
    return label;
  }
}
