package io.github.keyprotectexporter.config;

/** Reads the crypto units from the Key Protect API with an IAM token. */
public record ApiSourceConfig() implements SourceConfig {

  public static final ApiSourceConfig INSTANCE = new ApiSourceConfig();

  @Override
  public String type() {
    return "api";
  }
}
