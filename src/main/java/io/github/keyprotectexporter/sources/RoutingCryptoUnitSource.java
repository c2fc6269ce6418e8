package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends each instance's poll to the source chosen for it, so that the poller works with one
 * source whatever mix of API, file and command sources the config uses.
 */
public final class RoutingCryptoUnitSource implements CryptoUnitSource {

  private static final Logger logger = LoggerFactory.getLogger(RoutingCryptoUnitSource.class);

  private final Map<String, CryptoUnitSource> sourcesByInstanceId;
  private final CryptoUnitSource fallback;
  private final KeyProbe keyProbe;

  /**
   * Creates a router.
   *
   * @param sourcesByInstanceId the source of each instance, by instance id
   * @param fallback the source of instances not in the map, or null to fail their polls
   */
  public RoutingCryptoUnitSource(
      Map<String, CryptoUnitSource> sourcesByInstanceId, CryptoUnitSource fallback) {
    this(sourcesByInstanceId, fallback, null);
  }

  /**
   * Creates a router that also hands out the key-operation probe.
   *
   * @param keyProbe the probe sharing the API source's client and tokens, or null when no API
   *     source exists and so no instance may enable the probe
   */
  public RoutingCryptoUnitSource(Map<String, CryptoUnitSource> sourcesByInstanceId,
      CryptoUnitSource fallback, KeyProbe keyProbe) {
    this.sourcesByInstanceId = Map.copyOf(sourcesByInstanceId);
    this.fallback = fallback;
    this.keyProbe = keyProbe;
  }

  /** Returns the key-operation probe; it fails every probe when no API key was loaded. */
  public KeyProbe keyProbe() {
    if (keyProbe != null) {
      return keyProbe;
    }
    return instance -> {
      throw new IllegalStateException("key probe of instance " + instance.id()
          + " enabled, but no API key was loaded");
    };
  }

  @Override
  public List<CryptoUnit> listCryptoUnits(InstanceConfig instance) throws PollException {
    CryptoUnitSource source = sourcesByInstanceId.getOrDefault(instance.id(), fallback);
    if (source == null) {
      throw new IllegalStateException("no source for instance " + instance.id());
    }
    return source.listCryptoUnits(instance);
  }

  /** Closes every distinct source once, logging and skipping any that fails to close. */
  @Override
  public void close() {
    Set<CryptoUnitSource> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
    distinct.addAll(sourcesByInstanceId.values());
    if (fallback != null) {
      distinct.add(fallback);
    }
    for (CryptoUnitSource source : distinct) {
      try {
        source.close();
      } catch (RuntimeException e) {
        logger.warn("Failed to close source {}", source.getClass().getSimpleName(), e);
      }
    }
  }

  /** Returns the source of an instance, for tests. */
  CryptoUnitSource sourceOf(String instanceId) {
    return Objects.requireNonNullElse(sourcesByInstanceId.get(instanceId), fallback);
  }
}
