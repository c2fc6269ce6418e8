package io.github.keyprotectexporter.config;

import java.net.URI;
import java.util.Objects;

/**
 * One Dedicated Key Protect instance to watch.
 *
 * @param id the instance GUID, exported as the {@code instance_id} label
 * @param name a display name, empty when not configured
 * @param region the IBM Cloud region, for example {@code us-south}
 * @param privateEndpoint whether the default endpoint is the private one
 * @param endpoint the base URL of the instance's API, never null once loaded
 * @param source where the agent reads the instance's crypto units, the API when null is given
 */
public record InstanceConfig(
    String id,
    String name,
    String region,
    boolean privateEndpoint,
    URI endpoint,
    SourceConfig source) {

  public InstanceConfig {
    Objects.requireNonNull(id, "id");
    name = name == null ? "" : name;
    Objects.requireNonNull(region, "region");
    if (endpoint == null) {
      endpoint = defaultEndpoint(id, region, privateEndpoint);
    }
    source = source == null ? ApiSourceConfig.INSTANCE : source;
  }

  /** Creates an instance whose crypto units are read from the Key Protect API. */
  public InstanceConfig(
      String id, String name, String region, boolean privateEndpoint, URI endpoint) {
    this(id, name, region, privateEndpoint, endpoint, ApiSourceConfig.INSTANCE);
  }

  /** Builds the per-instance host that IBM documents, public or private. */
  public static URI defaultEndpoint(String id, String region, boolean privateEndpoint) {
    String host = privateEndpoint ? id + ".api.private." + region : id + ".api." + region;
    return URI.create("https://" + host + ".kms.appdomain.cloud");
  }
}
