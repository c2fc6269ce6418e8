package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.sources.PollErrorReason;

/**
 * Receives poll failures and skipped polls, for {@code keyprotect_poll_errors_total} and {@code
 * keyprotect_poll_skipped_total}.
 */
@FunctionalInterface
public interface PollListener {

  PollListener NONE = (instanceId, reason) -> {};

  void pollFailed(String instanceId, PollErrorReason reason);

  /**
   * Records a poll that was not started because the previous poll of the instance was still in
   * flight: queued, running or waiting for a retry.
   */
  default void pollSkipped(String instanceId) {}
}
