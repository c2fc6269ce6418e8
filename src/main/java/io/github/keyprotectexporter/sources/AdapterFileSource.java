package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Reads one instance's crypto units from an adapter file. Instances that point at the same file
 * share one {@link AdapterFileReader}, so the file is read and parsed once per change.
 */
final class AdapterFileSource implements CryptoUnitSource {

  private final AdapterFileReader reader;
  private final String documentInstanceId;
  private final Duration staleAfter;
  private final Clock clock;
  private final UnknownStateLog unknownStates;

  /**
   * Creates a source.
   *
   * @param documentInstanceId the id under which the file lists the units, or null for the
   *     configured instance id
   * @param staleAfter maximum age of the document, {@code poll.stale_after}
   */
  AdapterFileSource(AdapterFileReader reader, String documentInstanceId, Duration staleAfter,
      Clock clock, UnknownStateLog unknownStates) {
    this.reader = Objects.requireNonNull(reader, "reader");
    this.documentInstanceId = documentInstanceId;
    this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.unknownStates = Objects.requireNonNull(unknownStates, "unknownStates");
  }

  @Override
  public List<CryptoUnit> listCryptoUnits(InstanceConfig instance) throws PollException {
    AdapterDocument document = reader.read();
    String id = documentInstanceId == null ? instance.id() : documentInstanceId;
    List<CryptoUnit> units = AdapterUnits.select(document, id, staleAfter, clock.instant(),
        reader.path().toString());
    unknownStates.record(instance.id(), units);
    return units;
  }
}
