package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.util.List;

/**
 * Reads the crypto units of one instance. Implementations are thread-safe: the poller calls them
 * for different instances at the same time, but never twice at once for the same instance.
 */
public interface CryptoUnitSource extends AutoCloseable {

  /**
   * Reads the current units of an instance.
   *
   * @return the units, without duplicates (the first occurrence of an id wins), possibly empty
   * @throws PollException when the units could not be read; the message contains no secret
   */
  List<CryptoUnit> listCryptoUnits(InstanceConfig instance) throws PollException;

  @Override
  default void close() {}
}
