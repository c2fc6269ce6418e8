package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.model.CryptoUnit;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The crypto units of several instances as an adapter or an administrator's job wrote them, in the
 * format that {@code docs/adapter-format.md} describes.
 *
 * @param generatedAt when the writer read the units from the HSMs
 * @param unitsByInstance the units of each instance, by instance id in lower case, in document
 *     order
 */
public record AdapterDocument(Instant generatedAt, Map<String, List<CryptoUnit>> unitsByInstance) {

  public AdapterDocument {
    Objects.requireNonNull(generatedAt, "generatedAt");
    Map<String, List<CryptoUnit>> copy = new LinkedHashMap<>();
    unitsByInstance.forEach((id, units) -> copy.put(key(id), List.copyOf(units)));
    unitsByInstance = Collections.unmodifiableMap(copy);
  }

  /** Returns the units listed for an instance, ignoring the case of its id. */
  public Optional<List<CryptoUnit>> units(String instanceId) {
    return Optional.ofNullable(unitsByInstance.get(key(instanceId)));
  }

  /** Returns the ids of the listed instances, in lower case and document order. */
  public Set<String> instanceIds() {
    return unitsByInstance.keySet();
  }

  private static String key(String instanceId) {
    return instanceId.toLowerCase(Locale.ROOT);
  }
}
