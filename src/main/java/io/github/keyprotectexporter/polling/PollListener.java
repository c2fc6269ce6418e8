package io.github.keyprotectexporter.polling;

import io.github.keyprotectexporter.sources.PollErrorReason;

/** Receives poll failures, for {@code keyprotect_poll_errors_total}. */
@FunctionalInterface
public interface PollListener {

  PollListener NONE = (instanceId, reason) -> {};

  void pollFailed(String instanceId, PollErrorReason reason);
}
