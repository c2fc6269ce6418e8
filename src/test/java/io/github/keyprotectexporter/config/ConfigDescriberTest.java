package io.github.keyprotectexporter.config;

import static io.github.keyprotectexporter.config.Configs.ID_A;
import static io.github.keyprotectexporter.config.Configs.ID_B;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConfigDescriberTest {

  private static final IamSettings DEFAULT_IAM =
      new IamSettings(IamSettings.DEFAULT_URL, IamSettings.DEFAULT_API_KEY_ENV, null);

  @Test
  void describesEffectiveConfigOnOneLine() {
    ExporterConfig config =
        new ExporterConfig(
            PollSettings.DEFAULTS,
            DEFAULT_IAM,
            List.of(
                new InstanceConfig(ID_A, "payments-prod", "us-south", false, null),
                new InstanceConfig(ID_B, "", "eu-de", true, URI.create("http://127.0.0.1:8443"))));

    String description = ConfigDescriber.describe(config);

    assertThat(description)
        .isEqualTo(
            "poll: interval=30s timeout=10s stale_after=1m30s warm_up=5m concurrency=8;"
                + " iam: url=https://iam.cloud.ibm.com/identity/token api_key_env=IBMCLOUD_API_KEY;"
                + " 2 instances: id="
                + ID_A
                + " name=\"payments-prod\" region=us-south endpoint=https://"
                + ID_A
                + ".api.us-south.kms.appdomain.cloud; id="
                + ID_B
                + " region=eu-de endpoint=http://127.0.0.1:8443");
    assertThat(description).doesNotContain("\n");
  }

  @Test
  void namesKeyFileButNotKey() {
    IamSettings iam =
        new IamSettings(URI.create("http://127.0.0.1:9/token"), null, Path.of("/run/secrets/key"));

    assertThat(ConfigDescriber.describe(iam))
        .isEqualTo("iam: url=http://127.0.0.1:9/token api_key_file=/run/secrets/key");
  }

  @Test
  void singleInstanceIsCountedInSingular() {
    ExporterConfig config =
        new ExporterConfig(
            PollSettings.DEFAULTS,
            DEFAULT_IAM,
            List.of(new InstanceConfig(ID_A, "", "us-south", false, null)));

    assertThat(ConfigDescriber.describe(config)).contains("; 1 instance: id=" + ID_A + " ");
  }

  @Test
  void fileSourceShowsPathNotEndpoint() {
    InstanceConfig instance = new InstanceConfig(ID_A, "", "us-south", false, null,
        new FileSourceConfig(Path.of("/var/lib/adapter/units.json"), null));

    String description = ConfigDescriber.describe(instance);

    assertThat(description).doesNotContain("endpoint=").doesNotContain("appdomain.cloud");
    assertThat(description).contains("source=file path=\"/var/lib/adapter/units.json\"");
  }

  @Test
  void describesEnabledProbe() {
    InstanceConfig instance =
        new InstanceConfig(
            ID_A, "", "eu-de", false, null,
            new ProbeSettings(true, Duration.ofSeconds(90), null));

    assertThat(ConfigDescriber.describe(instance))
        .endsWith(
            ".api.eu-de.kms.appdomain.cloud probe_interval=1m30s"
                + " probe_endpoint=https://eu-de.kms.cloud.ibm.com");
  }

  @Test
  void masksUserInfoInEndpoint() {
    InstanceConfig instance =
        new InstanceConfig(ID_A, "", "us-south", false, URI.create("https://u:pw@127.0.0.1:1"));

    assertThat(ConfigDescriber.describe(instance))
        .isEqualTo("id=" + ID_A + " region=us-south endpoint=https://****@127.0.0.1:1");
  }
}
