package io.github.keyprotectexporter.config;

import static io.github.keyprotectexporter.config.Configs.ID_A;
import static io.github.keyprotectexporter.config.Configs.ID_B;
import static io.github.keyprotectexporter.config.Configs.errorsOf;
import static io.github.keyprotectexporter.config.Configs.onlyErrorOf;
import static io.github.keyprotectexporter.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** Checks of the key-operation probe settings, global and per instance, through the loader. */
class ProbeSettingsTest {

  private static final String IAM = "iam:\n  url: http://127.0.0.1:9/identity/token\n";

  /** Returns a config with one instance: the id {@link Configs#ID_A}, then the given keys. */
  private static String withInstance(String instanceKeys) {
    String item = ("id: " + ID_A + "\n" + instanceKeys).indent(4);
    return IAM + "instances:\n  - " + item.substring(4);
  }

  private static ProbeSettings probeOf(String yaml) throws ConfigException {
    return parse(yaml).instances().get(0).probe();
  }

  @Nested
  class Defaults {

    @Test
    void probeIsOffWithoutConfig() throws Exception {
      ProbeSettings probe = probeOf(withInstance("region: us-south"));

      assertThat(probe.enabled()).isFalse();
      assertThat(probe.interval()).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void enabledProbeUsesRegionalKeyApi() throws Exception {
      ProbeSettings probe = probeOf(withInstance("region: eu-de\nprobe:\n  enabled: true"));

      assertThat(probe.enabled()).isTrue();
      assertThat(probe.interval()).isEqualTo(Duration.ofSeconds(60));
      assertThat(probe.endpoint()).isEqualTo(URI.create("https://eu-de.kms.cloud.ibm.com"));
    }

    @Test
    void privateInstanceUsesPrivateKeyApi() throws Exception {
      ProbeSettings probe =
          probeOf(withInstance("region: us-east\nprivate: true\nprobe: {enabled: true}"));

      assertThat(probe.endpoint())
          .isEqualTo(URI.create("https://private.us-east.kms.cloud.ibm.com"));
    }

    @Test
    void constructorWithoutProbeDisablesIt() {
      InstanceConfig instance = new InstanceConfig(ID_A, "", "us-south", false, null);

      assertThat(instance.probe().enabled()).isFalse();
      assertThat(instance.probe().endpoint())
          .isEqualTo(URI.create("https://us-south.kms.cloud.ibm.com"));
    }
  }

  @Nested
  class Overrides {

    @Test
    void instanceSetsIntervalAndEndpoint() throws Exception {
      ProbeSettings probe =
          probeOf(
              withInstance(
                  """
                  region: us-south
                  probe:
                    enabled: true
                    interval: 2m
                    endpoint: http://127.0.0.1:8443/kms/
                  """));

      assertThat(probe.interval()).isEqualTo(Duration.ofMinutes(2));
      assertThat(probe.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8443/kms"));
    }

    @Test
    void globalSectionAppliesToEveryInstance() throws Exception {
      String yaml =
          IAM
              + """
                probe:
                  enabled: true
                  interval: 30s
                instances:
                  - {id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef, region: us-south}
                  - {id: 0a1b2c3d-4e5f-4a6b-8c7d-00000000cafe, region: eu-es}
                """;

      List<InstanceConfig> instances = parse(yaml).instances();

      assertThat(instances).extracting(i -> i.probe().enabled()).containsExactly(true, true);
      assertThat(instances)
          .extracting(i -> i.probe().interval())
          .containsOnly(Duration.ofSeconds(30));
      assertThat(instances.get(1).probe().endpoint())
          .isEqualTo(URI.create("https://eu-es.kms.cloud.ibm.com"));
    }

    @Test
    void instanceOverridesGlobalSection() throws Exception {
      String yaml =
          IAM
              + """
                probe: {enabled: true, interval: 30s}
                instances:
                  - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
                    region: us-south
                    probe: {enabled: false}
                  - id: 0a1b2c3d-4e5f-4a6b-8c7d-00000000cafe
                    region: us-south
                    probe: {interval: 5m}
                """;

      List<InstanceConfig> instances = parse(yaml).instances();

      assertThat(instances.get(0).probe().enabled()).isFalse();
      assertThat(instances.get(1).id()).isEqualTo(ID_B);
      assertThat(instances.get(1).probe().enabled()).isTrue();
      assertThat(instances.get(1).probe().interval()).isEqualTo(Duration.ofMinutes(5));
    }
  }

  @Nested
  class Validation {

    @Test
    void zeroIntervalIsRejected() {
      assertThat(onlyErrorOf(withInstance("region: us-south\nprobe: {enabled: true, interval: 0s}")))
          .isEqualTo(
              "instances[0].probe.interval: 0s is not allowed. The interval between two probes"
                  + " must be greater than zero, for example 1m");
    }

    @Test
    void intervalShorterThanTimeoutIsRejected() {
      String yaml =
          "poll:\n  timeout: 10s\n"
              + withInstance("region: us-south\nprobe: {enabled: true, interval: 5s}");

      assertThat(onlyErrorOf(yaml))
          .isEqualTo(
              "instances[0].probe.interval: 5s is shorter than poll.timeout (10s), which also"
                  + " limits each probe request. A probe must be able to end before the next one"
                  + " starts, so set the interval to at least 10s or lower poll.timeout");
    }

    @Test
    void invalidGlobalIntervalIsRejected() {
      String yaml = "probe:\n  interval: soon\n" + withInstance("region: us-south");

      assertThat(onlyErrorOf(yaml)).startsWith("probe.interval: ");
    }

    @Test
    void globalEndpointIsRejected() {
      String yaml =
          "probe:\n  endpoint: https://us-south.kms.cloud.ibm.com\n"
              + withInstance("region: us-south");

      assertThat(onlyErrorOf(yaml))
          .isEqualTo(
              "probe.endpoint: not allowed here, because the key API is regional. Set it per"
                  + " instance as instances[].probe.endpoint, or leave it out to use"
                  + " https://<region>.kms.cloud.ibm.com");
    }

    @Test
    void unknownKeySuggestsValidOne() {
      assertThat(onlyErrorOf(withInstance("region: us-south\nprobe: {enable: true}")))
          .isEqualTo(
              "instances[0].probe.enable: unknown key. Valid keys under instances[0].probe:"
                  + " enabled, interval, endpoint. Did you mean enabled?");
    }

    @Test
    void quotedBooleanIsRejected() {
      assertThat(onlyErrorOf(withInstance("region: us-south\nprobe: {enabled: \"yes\"}")))
          .isEqualTo(
              "instances[0].probe.enabled: expected true or false, found the string \"yes\"."
                  + " Write true or false without quotes");
    }

    @Test
    void endpointWithQueryIsRejected() {
      assertThat(
              onlyErrorOf(
                  withInstance(
                      "region: us-south\n"
                          + "probe: {enabled: true, endpoint: \"http://127.0.0.1:1/?x=1\"}")))
          .startsWith("instances[0].probe.endpoint: \"http://127.0.0.1:1/?x=1\" contains a query");
    }

    @Test
    void scalarInsteadOfMappingIsRejected() {
      assertThat(onlyErrorOf(withInstance("region: us-south\nprobe: true")))
          .isEqualTo(
              "instances[0].probe: expected a mapping with the keys enabled, interval, endpoint,"
                  + " found the boolean true");
    }

    @Test
    void probeErrorsAddToOtherErrors() {
      String yaml =
          "probe: {interval: 0s}\n"
              + withInstance("region: US\nprobe: {enabled: true, endpoint: ftp://127.0.0.1}");

      assertThat(errorsOf(yaml))
          .hasSize(3)
          .anySatisfy(error -> assertThat(error).startsWith("test.yaml: probe.interval: "))
          .anySatisfy(error -> assertThat(error).startsWith("test.yaml: instances[0].region: "))
          .anySatisfy(
              error -> assertThat(error).startsWith("test.yaml: instances[0].probe.endpoint: "));
    }
  }

  @Nested
  class Warnings {

    @Test
    void settingsOfDisabledProbeWarn() throws Exception {
      try (LogCapture log = LogCapture.of(ConfigLoader.class)) {
        probeOf(withInstance("region: us-south\nprobe: {interval: 2m}"));

        assertThat(log.warnings())
            .containsExactly(
                "test.yaml: instances[0].probe.interval: ignored because the probe of this"
                    + " instance is not enabled");
      }
    }

    @Test
    void endpointOverrideWithoutProbeEndpointWarns() throws Exception {
      try (LogCapture log = LogCapture.of(ConfigLoader.class)) {
        probeOf(
            withInstance(
                "region: us-south\nendpoint: http://127.0.0.1:9\nprobe: {enabled: true}"));

        assertThat(log.warnings())
            .containsExactly(
                "test.yaml: instances[0].endpoint: replaces only the crypto-units endpoint. The"
                    + " key-operation probe of instance "
                    + ID_A
                    + " still goes to https://us-south.kms.cloud.ibm.com; set probe.endpoint to"
                    + " send it elsewhere");
      }
    }

    @Test
    void localEndpointsDoNotWarn() throws Exception {
      try (LogCapture log = LogCapture.of(ConfigLoader.class)) {
        probeOf(
            withInstance(
                """
                region: us-south
                endpoint: http://127.0.0.1:9
                probe: {enabled: true, endpoint: "http://127.0.0.1:9"}
                """));

        assertThat(log.warnings()).isEmpty();
      }
    }
  }
}
