package io.github.keyprotectexporter.config;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The {@code client_auth_type} values of a web config file, named after Go's {@code
 * tls.ClientAuthType} as the exporter-toolkit does.
 */
public enum ClientAuthType {
  /** No client certificate is requested. */
  NO_CLIENT_CERT("NoClientCert", false, false),
  /** A certificate is requested but neither required nor verified. */
  REQUEST_CLIENT_CERT("RequestClientCert", false, false),
  /** A certificate is required but not verified against a CA. */
  REQUIRE_ANY_CLIENT_CERT("RequireAnyClientCert", true, false),
  /** A certificate is optional, but one that is sent must be signed by the client CA. */
  VERIFY_CLIENT_CERT_IF_GIVEN("VerifyClientCertIfGiven", false, true),
  /** A certificate signed by the client CA is required. */
  REQUIRE_AND_VERIFY_CLIENT_CERT("RequireAndVerifyClientCert", true, true);

  private final String configName;
  private final boolean required;
  private final boolean verified;

  ClientAuthType(String configName, boolean required, boolean verified) {
    this.configName = configName;
    this.required = required;
    this.verified = verified;
  }

  /** Returns the name used in the web config file, such as {@code RequireAndVerifyClientCert}. */
  public String configName() {
    return configName;
  }

  /** Returns true when a client without a certificate is rejected. */
  public boolean required() {
    return required;
  }

  /** Returns true when a client certificate must chain to {@code client_ca_file}. */
  public boolean verified() {
    return verified;
  }

  /** Returns true when the server asks the client for a certificate at all. */
  public boolean requested() {
    return this != NO_CLIENT_CERT;
  }

  static Optional<ClientAuthType> fromConfigName(String name) {
    return Arrays.stream(values()).filter(type -> type.configName.equals(name)).findFirst();
  }

  static List<String> configNames() {
    return Arrays.stream(values()).map(ClientAuthType::configName).toList();
  }
}
