package io.github.keyprotectexporter.config;

import java.util.stream.Collectors;

/**
 * Summarises the effective configuration in one line for the start-up log.
 *
 * <pre>{@code
 * logger.info("Configuration: {}", ConfigDescriber.describe(config));
 * }</pre>
 *
 * <p>The summary names where the API key comes from (variable name or file path) but never contains
 * the key, and masks any user information in a URL.
 */
public final class ConfigDescriber {

  private ConfigDescriber() {}

  /**
   * Returns the poll settings, the IAM settings and every instance as key=value pairs, for example
   * {@code poll: interval=30s timeout=10s ... ; iam: url=... api_key_env=IBMCLOUD_API_KEY; 1
   * instance: id=... region=us-south endpoint=...}.
   */
  /** Returns the crypto-units endpoint, which only an instance read from the API uses. */
  private static String describeEndpoint(InstanceConfig instance) {
    if (!(instance.source() instanceof ApiSourceConfig)) {
      return "";
    }
    return " endpoint=" + Echo.maskUserInfo(instance.endpoint().toString());
  }

  public static String describe(ExporterConfig config) {
    int count = config.instances().size();
    return describe(config.poll())
        + "; "
        + describe(config.iam())
        + "; "
        + count
        + (count == 1 ? " instance: " : " instances: ")
        + config.instances().stream()
            .map(ConfigDescriber::describe)
            .collect(Collectors.joining("; "));
  }

  /** Returns the poll settings as key=value pairs. */
  public static String describe(PollSettings poll) {
    return "poll: interval="
        + Durations.format(poll.interval())
        + " timeout="
        + Durations.format(poll.timeout())
        + " stale_after="
        + Durations.format(poll.staleAfter())
        + " warm_up="
        + Durations.format(poll.warmUp())
        + " concurrency="
        + poll.concurrency();
  }

  /** Returns the IAM URL and the name of the variable or file that contains the API key. */
  public static String describe(IamSettings iam) {
    String keySource =
        iam.apiKeyFile() != null
            ? "api_key_file=" + iam.apiKeyFile()
            : "api_key_env="
                + (iam.apiKeyEnv() != null ? iam.apiKeyEnv() : IamSettings.DEFAULT_API_KEY_ENV);
    return "iam: url=" + Echo.maskUserInfo(iam.url().toString()) + " " + keySource;
  }

  /**
   * Returns the instance id, name (when set), region, endpoint, the probe's interval and endpoint
   * when enabled, and the source when it is not the API, as key=value pairs.
   */
  public static String describe(InstanceConfig instance) {
    String name = instance.name().isEmpty() ? "" : " name=" + Echo.quote(instance.name());
    return "id="
        + instance.id()
        + name
        + " region="
        + instance.region()
        + describeEndpoint(instance)
        + describeProbe(instance.probe())
        + describeSource(instance.source());
  }

  private static String describeProbe(ProbeSettings probe) {
    if (!probe.enabled()) {
      return "";
    }
    return " probe_interval="
        + Durations.format(probe.interval())
        + " probe_endpoint="
        + Echo.maskUserInfo(probe.endpoint().toString());
  }


  /**
   * Returns the source's settings as key=value pairs with a leading space, empty for the API. A
   * command shows its program, the number of its arguments and the names of its environment
   * variables, because arguments and values may be secrets.
   */
  public static String describeSource(SourceConfig source) {
    if (source instanceof FileSourceConfig file) {
      return " source=file path=" + Echo.quote(file.path().toString())
          + documentInstance(file.documentInstanceId());
    }
    if (source instanceof CommandSourceConfig command) {
      String timeout =
          command.timeout() == null ? "poll.timeout" : Durations.format(command.timeout());
      return " source=command program=" + Echo.quote(command.argv().get(0))
          + " arguments=" + (command.argv().size() - 1)
          + " timeout=" + timeout
          + " env=" + String.join(",", command.environment().keySet())
          + " max_output=" + ByteSizes.format(command.maxOutputBytes())
          + documentInstance(command.documentInstanceId());
    }
    return "";
  }

  private static String documentInstance(String documentInstanceId) {
    return documentInstanceId == null ? "" : " instance_id=" + Echo.quote(documentInstanceId);
  }
}
