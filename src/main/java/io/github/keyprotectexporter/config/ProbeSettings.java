package io.github.keyprotectexporter.config;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;

/**
 * The optional key-operation probe of one instance: a periodic {@code HEAD /api/v2/keys} on the
 * regional key API. Failing key operations while the crypto units are {@code kms-initialized} are
 * the only symptom of a master-key mismatch that a read-only agent can see.
 *
 * @param enabled whether the instance is probed
 * @param interval time between the starts of two probes of the instance
 * @param endpoint base URL of the key API, or null to derive it from the region when the instance
 *     is configured
 */
public record ProbeSettings(boolean enabled, Duration interval, URI endpoint) {

  public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(60);

  /** The probe as it is without any configuration: off, with the default interval. */
  public static final ProbeSettings DISABLED = new ProbeSettings(false, DEFAULT_INTERVAL, null);

  public ProbeSettings {
    Objects.requireNonNull(interval, "interval");
  }

  /** Returns these settings with {@code endpoint} set, unless one is set already. */
  public ProbeSettings withDefaultEndpoint(URI defaultEndpoint) {
    return endpoint != null ? this : new ProbeSettings(enabled, interval, defaultEndpoint);
  }

  /**
   * Builds the regional key API URL that IBM documents: {@code https://<region>.kms.cloud.ibm.com},
   * or {@code https://private.<region>.kms.cloud.ibm.com} for the private network.
   */
  public static URI defaultEndpoint(String region, boolean privateEndpoint) {
    String host = privateEndpoint ? "private." + region : region;
    return URI.create("https://" + host + ".kms.cloud.ibm.com");
  }
}
