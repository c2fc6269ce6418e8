package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.Durations;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

/** Picks one instance's units out of an adapter document, after checking the document's age. */
final class AdapterUnits {

  private static final int MAX_IDS_LISTED = 5;

  private AdapterUnits() {}

  /**
   * Returns the units that {@code document} lists for {@code instanceId}.
   *
   * @throws PollException with {@link PollErrorReason#STALE_SOURCE} when the document was
   *     generated more than {@code staleAfter} before {@code now}, and with {@link
   *     PollErrorReason#BAD_OUTPUT} when it does not list the instance
   */
  static List<CryptoUnit> select(AdapterDocument document, String instanceId,
      Duration staleAfter, Instant now, String sourceName) throws PollException {
    Duration age = Duration.between(document.generatedAt(), now);
    if (age.compareTo(staleAfter) > 0) {
      throw new PollException(PollErrorReason.STALE_SOURCE, sourceName + ": generated at "
          + document.generatedAt() + ", " + Durations.format(age.withNanos(0))
          + " ago, which is longer than poll.stale_after (" + Durations.format(staleAfter)
          + "). Check that the adapter or job that writes it still runs");
    }
    return document.units(instanceId).orElseThrow(() -> missingInstance(document, instanceId,
        sourceName));
  }

  private static PollException missingInstance(
      AdapterDocument document, String instanceId, String sourceName) {
    String listed = document.instanceIds().isEmpty()
        ? "no instance at all"
        : document.instanceIds().stream().limit(MAX_IDS_LISTED)
            .map(id -> Excerpt.of(id, 80))
            .collect(Collectors.joining(", "))
            + (document.instanceIds().size() > MAX_IDS_LISTED ? ", ..." : "");
    return new PollException(PollErrorReason.BAD_OUTPUT, sourceName + ": lists no instance "
        + instanceId + " (it lists " + listed + "). Add the instance to the document, or set"
        + " source.instance_id to the id the document uses");
  }
}
