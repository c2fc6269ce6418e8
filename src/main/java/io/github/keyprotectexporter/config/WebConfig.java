package io.github.keyprotectexporter.config;

import java.util.Map;

/**
 * The web config file given by {@code --web.config.file}, in the format of the Prometheus
 * exporter-toolkit: TLS for the listener, extra response headers and basic-auth users.
 *
 * <pre>{@code
 * WebConfig web = new WebConfigLoader().load(Path.of("web-config.yml"));
 * }</pre>
 *
 * @param tls the TLS settings, null to serve plain HTTP
 * @param headers response headers added to every route, by header name
 * @param basicAuthUsers bcrypt password hashes by user name; empty when no login is required
 * @param http2 the {@code http2} value, accepted for compatibility although the server speaks
 *     only HTTP/1.1
 */
public record WebConfig(
    TlsServerSettings tls,
    Map<String, String> headers,
    Map<String, String> basicAuthUsers,
    boolean http2) {

  /** Plain HTTP without login, which is what the agent serves without a web config file. */
  public static final WebConfig PLAIN = new WebConfig(null, Map.of(), Map.of(), true);

  public WebConfig {
    headers = Map.copyOf(headers);
    basicAuthUsers = Map.copyOf(basicAuthUsers);
  }

  public boolean hasTls() {
    return tls != null;
  }

  public boolean hasBasicAuth() {
    return !basicAuthUsers.isEmpty();
  }

  /** Lists the user names only, because the hashes allow offline password guessing. */
  @Override
  public String toString() {
    return "WebConfig[tls=" + tls + ", headers=" + headers.keySet()
        + ", basicAuthUsers=" + basicAuthUsers.keySet() + ", http2=" + http2 + "]";
  }
}
