package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.InstanceConfig;

/**
 * Checks that an instance serves key operations. Implementations are thread-safe: the poller calls
 * them for different instances at the same time, but never twice at once for the same instance.
 */
@FunctionalInterface
public interface KeyProbe {

  /**
   * Makes one read-only key operation on the instance's key API, at {@code
   * instance.probe().endpoint()}.
   *
   * @throws ProbeException when the operation failed; the message contains no secret
   */
  void probe(InstanceConfig instance) throws ProbeException;
}
