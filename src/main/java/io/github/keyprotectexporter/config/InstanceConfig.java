package io.github.keyprotectexporter.config;

import java.net.URI;
import java.util.Objects;

/**
 * One Dedicated Key Protect instance to watch.
 *
 * @param id the instance GUID, exported as the {@code instance_id} label
 * @param name a display name, empty when not configured
 * @param region the IBM Cloud region, for example {@code us-south}
 * @param privateEndpoint whether the default endpoints are the private ones
 * @param endpoint the base URL of the instance's API, never null once loaded
 * @param probe the key-operation probe, never null and with an endpoint once loaded
 * @param source where the agent reads the instance's crypto units, the API when null is given
 */
public record InstanceConfig(
    String id,
    String name,
    String region,
    boolean privateEndpoint,
    URI endpoint,
    ProbeSettings probe,
    SourceConfig source) {

  public InstanceConfig {
    Objects.requireNonNull(id, "id");
    name = name == null ? "" : name;
    Objects.requireNonNull(region, "region");
    if (endpoint == null) {
      endpoint = defaultEndpoint(id, region, privateEndpoint);
    }
    probe = probe == null ? ProbeSettings.DISABLED : probe;
    probe = probe.withDefaultEndpoint(ProbeSettings.defaultEndpoint(region, privateEndpoint));
    source = source == null ? ApiSourceConfig.INSTANCE : source;
  }

  /** Creates an instance read from the Key Protect API, without the key-operation probe. */
  public InstanceConfig(
      String id, String name, String region, boolean privateEndpoint, URI endpoint) {
    this(id, name, region, privateEndpoint, endpoint, ProbeSettings.DISABLED,
        ApiSourceConfig.INSTANCE);
  }

  /** Creates an instance read from the Key Protect API. */
  public InstanceConfig(String id, String name, String region, boolean privateEndpoint,
      URI endpoint, ProbeSettings probe) {
    this(id, name, region, privateEndpoint, endpoint, probe, ApiSourceConfig.INSTANCE);
  }

  /** Creates an instance read from {@code source}, without the key-operation probe. */
  public InstanceConfig(String id, String name, String region, boolean privateEndpoint,
      URI endpoint, SourceConfig source) {
    this(id, name, region, privateEndpoint, endpoint, ProbeSettings.DISABLED, source);
  }

  /** Builds the per-instance host that IBM documents, public or private. */
  public static URI defaultEndpoint(String id, String region, boolean privateEndpoint) {
    String host = privateEndpoint ? id + ".api.private." + region : id + ".api." + region;
    return URI.create("https://" + host + ".kms.appdomain.cloud");
  }

  /** Returns a copy of this instance with other probe settings. */
  public InstanceConfig withProbe(ProbeSettings settings) {
    return new InstanceConfig(id, name, region, privateEndpoint, endpoint, settings, source);
  }
}
