package io.github.keyprotectexporter.config;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Reads and checks the key-operation probe settings: the top-level {@code probe} section, which
 * sets the defaults of every instance, and each {@code instances[].probe}, which overrides them.
 * The endpoint exists only per instance, because the key API is regional.
 */
final class ProbeSettingsReader {

  static final List<String> DEFAULTS_KEYS = List.of("enabled", "interval");
  static final List<String> INSTANCE_KEYS = List.of("enabled", "interval", "endpoint");

  private ProbeSettingsReader() {}

  /** Reads the top-level {@code probe} section. Absent keys take {@link ProbeSettings#DISABLED}. */
  static ProbeSettings readDefaults(ConfigNode probe, Duration pollTimeout) {
    ProbeSettings defaults = ProbeSettings.DISABLED;
    if (!probe.isMapping(DEFAULTS_KEYS)) {
      return defaults;
    }
    boolean hasEndpoint = !probe.get("endpoint").isAbsent();
    probe.allowOnlyKeys(hasEndpoint ? INSTANCE_KEYS : DEFAULTS_KEYS);
    if (hasEndpoint) {
      probe
          .get("endpoint")
          .error(
              "not allowed here, because the key API is regional. Set it per instance as"
                  + " instances[].probe.endpoint, or leave it out to use"
                  + " https://<region>.kms.cloud.ibm.com");
    }
    boolean enabled = probe.get("enabled").bool(defaults.enabled());
    Duration interval = readInterval(probe.get("interval"), defaults.interval(), pollTimeout);
    return new ProbeSettings(enabled, interval, null);
  }

  /** Reads {@code instances[i].probe}. Absent keys take the values of {@code defaults}. */
  static ProbeSettings readInstance(ConfigNode probe, ProbeSettings defaults, Duration pollTimeout) {
    if (!probe.isMapping(INSTANCE_KEYS)) {
      return defaults;
    }
    probe.allowOnlyKeys(INSTANCE_KEYS);
    boolean enabled = probe.get("enabled").bool(defaults.enabled());
    Duration interval = readInterval(probe.get("interval"), defaults.interval(), pollTimeout);
    URI endpoint = readEndpoint(probe.get("endpoint")).orElse(null);
    if (!enabled) {
      for (String key : List.of("interval", "endpoint")) {
        if (!probe.get(key).isAbsent()) {
          probe.get(key).warn("ignored because the probe of this instance is not enabled");
        }
      }
    }
    return new ProbeSettings(enabled, interval, endpoint);
  }

  /** Returns the interval, or {@code fallback} when it is absent or invalid (with an error). */
  private static Duration readInterval(ConfigNode node, Duration fallback, Duration pollTimeout) {
    Optional<Duration> interval = node.duration(fallback);
    if (interval.isEmpty()) {
      return fallback;
    }
    if (interval.get().isZero()) {
      node.error(
          "0s is not allowed. The interval between two probes must be greater than zero,"
              + " for example "
              + Durations.format(ProbeSettings.DEFAULT_INTERVAL));
      return fallback;
    }
    if (!node.isAbsent() && interval.get().compareTo(pollTimeout) < 0) {
      String limit = Durations.format(pollTimeout);
      node.error(
          Durations.format(interval.get())
              + " is shorter than poll.timeout ("
              + limit
              + "), which also limits each probe request. A probe must be able to end before the"
              + " next one starts, so set the interval to at least "
              + limit
              + " or lower poll.timeout");
      return fallback;
    }
    return interval.get();
  }

  private static Optional<URI> readEndpoint(ConfigNode node) {
    return HttpUrls.read(node, "https://us-south.kms.cloud.ibm.com", "the access token")
        .map(ProbeSettingsReader::withoutSlash);
  }

  // The probe appends the API path to the endpoint, so a trailing slash would double.
  private static URI withoutSlash(URI endpoint) {
    String text = endpoint.toString();
    return text.endsWith("/") ? URI.create(text.replaceFirst("/+$", "")) : endpoint;
  }
}
