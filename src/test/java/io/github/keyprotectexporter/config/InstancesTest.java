package io.github.keyprotectexporter.config;

import static io.github.keyprotectexporter.config.Configs.ID_A;
import static io.github.keyprotectexporter.config.Configs.errorsOf;
import static io.github.keyprotectexporter.config.Configs.onlyErrorOf;
import static io.github.keyprotectexporter.config.Configs.parse;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Checks of the instances list, each through the whole loader. */
class InstancesTest {

  private static final String IAM = "iam:\n  url: http://127.0.0.1:9/identity/token\n";

  /** Returns a config with one instance whose keys are given as YAML lines. */
  private static String withInstance(String instanceKeys) {
    String item = instanceKeys.indent(4);
    return IAM + "instances:\n  - " + item.substring(4);
  }

  private static InstanceConfig onlyInstance(String instanceKeys) throws ConfigException {
    return parse(withInstance(instanceKeys)).instances().get(0);
  }

  @Nested
  class Endpoints {

    @Test
    void publicEndpointIsDefault() throws Exception {
      InstanceConfig instance = onlyInstance("id: " + ID_A + "\nregion: us-east");

      assertThat(instance.privateEndpoint()).isFalse();
      assertThat(instance.endpoint())
          .isEqualTo(URI.create("https://" + ID_A + ".api.us-east.kms.appdomain.cloud"));
    }

    @Test
    void privateSelectsPrivateEndpoint() throws Exception {
      InstanceConfig instance = onlyInstance("id: " + ID_A + "\nregion: eu-de\nprivate: true");

      assertThat(instance.privateEndpoint()).isTrue();
      assertThat(instance.endpoint())
          .isEqualTo(URI.create("https://" + ID_A + ".api.private.eu-de.kms.appdomain.cloud"));
    }

    @Test
    void overrideReplacesDefaultEndpoint() throws Exception {
      InstanceConfig instance =
          onlyInstance("id: " + ID_A + "\nregion: eu-es\nendpoint: http://127.0.0.1:8443/kp");

      assertThat(instance.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8443/kp"));
    }

    @Test
    void overrideLosesTrailingSlash() throws Exception {
      InstanceConfig instance =
          onlyInstance("id: " + ID_A + "\nregion: eu-es\nendpoint: http://127.0.0.1:8443/kp//");

      assertThat(instance.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8443/kp"));
    }

    @Test
    void privateWithOverrideWarns() throws Exception {
      try (LogCapture log = LogCapture.of(ConfigLoader.class)) {
        InstanceConfig instance =
            onlyInstance(
                "id: "
                    + ID_A
                    + "\nregion: us-south\nprivate: true\nendpoint: http://127.0.0.1:8443");

        assertThat(instance.endpoint()).isEqualTo(URI.create("http://127.0.0.1:8443"));
        assertThat(log.warnings())
            .containsExactly(
                "test.yaml: instances[0].private: ignored for instance "
                    + ID_A
                    + " because endpoint is set");
      }
    }

    @Test
    void endpointUserInfoIsMasked() {
      String error =
          onlyErrorOf(
              withInstance(
                  "id: "
                      + ID_A
                      + "\nregion: us-south\nendpoint: https://svc:p4ssw0rd@127.0.0.1:8443"));

      assertThat(error)
          .startsWith(
              "instances[0].endpoint: \"https://****@127.0.0.1:8443\" contains user information"
                  + " before the host, which would be a credential in the configuration. Remove the"
                  + " part up to the @.")
          .doesNotContain("p4ssw0rd");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1:8443/?x=1", "http://127.0.0.1:8443/#top"})
    void endpointQueryOrFragmentIsRejected(String endpoint) {
      assertThat(
              onlyErrorOf(
                  withInstance(
                      "id: " + ID_A + "\nregion: us-south\nendpoint: \"" + endpoint + "\"")))
          .startsWith(
              "instances[0].endpoint: \""
                  + endpoint
                  + "\" contains a query (?) or"
                  + " fragment (#).");
    }

    @Test
    void endpointWithoutSchemeIsRejected() {
      assertThat(
              onlyErrorOf(
                  withInstance("id: " + ID_A + "\nregion: us-south\nendpoint: 127.0.0.1:8443")))
          .isEqualTo(
              "instances[0].endpoint: \"127.0.0.1:8443\" does not start with https:// or"
                  + " http://. Expected an absolute http or https URL such as https://"
                  + ID_A
                  + ".api.us-south.kms.appdomain.cloud");
    }

    @Test
    void quotedPrivateIsRejected() {
      assertThat(onlyErrorOf(withInstance("id: " + ID_A + "\nregion: us-south\nprivate: \"true\"")))
          .isEqualTo(
              "instances[0].private: expected true or false, found the string \"true\"."
                  + " Write true or false without quotes");
    }
  }

  @Test
  void idIsNormalisedToLowerCase() throws Exception {
    assertThat(onlyInstance("id: " + ID_A.toUpperCase() + "\nregion: us-south").id())
        .isEqualTo(ID_A);
  }

  @Test
  void nameIsKept() throws Exception {
    assertThat(onlyInstance("id: " + ID_A + "\nregion: us-south\nname: payments prod").name())
        .isEqualTo("payments prod");
  }

  @Test
  void numberAsNameAsksForQuotes() {
    assertThat(onlyErrorOf(withInstance("id: " + ID_A + "\nregion: us-south\nname: 2024")))
        .isEqualTo(
            "instances[0].name: expected a display name, found the number 2024. Put the"
                + " value in quotes");
  }

  @Test
  void missingListIsRejected() {
    assertThat(onlyErrorOf(IAM))
        .isEqualTo(
            "instances: missing. List at least one Key Protect instance, each with its id"
                + " and region, for example: instances: [{id: "
                + ID_A
                + ", region: us-south}]");
  }

  @Test
  void emptyListIsRejected() {
    assertThat(onlyErrorOf(IAM + "instances: []\n"))
        .isEqualTo(
            "instances: the list is empty. Add at least one Key Protect instance with its"
                + " id and region");
  }

  @Test
  void mappingInsteadOfListIsRejected() {
    assertThat(onlyErrorOf(IAM + "instances:\n  id: " + ID_A + "\n  region: us-south\n"))
        .isEqualTo(
            "instances: expected a list of instances, each with id and region, found a mapping");
  }

  @Test
  void bareIdInListIsRejected() {
    assertThat(onlyErrorOf(IAM + "instances:\n  - " + ID_A + "\n"))
        .isEqualTo(
            "instances[0]: expected a mapping with the keys id, region, found the string \""
                + ID_A
                + "\"");
  }

  @Test
  void emptyListItemIsRejected() {
    assertThat(onlyErrorOf(IAM + "instances:\n  -\n"))
        .isEqualTo("instances[0]: the list item is empty. Give the instance as id and region keys");
  }

  @Test
  void missingIdIsRejected() {
    assertThat(onlyErrorOf(withInstance("region: us-south")))
        .isEqualTo(
            "instances[0].id: missing. Give the GUID of the Key Protect instance, such as " + ID_A);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "payments",
        "7f3e9b10-5c2d-4a8e-b1f0-00000000bee",
        "7f3e9b105c2d4a8eb1f000000000beef",
        "7f3e9b10-5c2d-4a8e-b1f0-00000000beeg",
        "{7f3e9b10-5c2d-4a8e-b1f0-00000000beef}"
      })
  void invalidIdIsRejected(String id) {
    assertThat(onlyErrorOf(withInstance("id: \"" + id + "\"\nregion: us-south")))
        .isEqualTo(
            "instances[0].id: \""
                + id
                + "\" is not an instance GUID. Expected 8-4-4-4-12"
                + " hex digits such as "
                + ID_A
                + ". Find it with: ibmcloud resource service-instance NAME --id");
  }

  @Test
  void crnAsIdPointsToItsGuid() {
    String crn = "crn:v1:bluemix:public:kms:us-south:a/0123456789abcdef:" + ID_A + "::";

    assertThat(onlyErrorOf(withInstance("id: \"" + crn + "\"\nregion: us-south")))
        .endsWith("This is a CRN, whose instance GUID is " + ID_A);
  }

  @Test
  void duplicateIdNamesBothPositions() {
    String yaml =
        IAM
            + """
              instances:
                - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
                  region: us-south
                - id: 0a1b2c3d-4e5f-4a6b-8c7d-00000000cafe
                  region: us-south
                - id: 7F3E9B10-5C2D-4A8E-B1F0-00000000BEEF
                  region: eu-de
              """;

    assertThat(onlyErrorOf(yaml))
        .isEqualTo(
            "instances[2].id: "
                + ID_A
                + " is listed twice, first at instances[0].id. Remove one of the two entries");
  }

  @Test
  void missingRegionIsRejected() {
    assertThat(onlyErrorOf(withInstance("id: " + ID_A)))
        .isEqualTo(
            "instances[0].region: missing. Give the region of the instance, such as"
                + " us-south, us-east, eu-de or eu-es");
  }

  @Test
  void upperCaseRegionSuggestsLowerCase() {
    assertThat(onlyErrorOf(withInstance("id: " + ID_A + "\nregion: US-South")))
        .isEqualTo(
            "instances[0].region: \"US-South\" is not a valid region name. Write it in lower"
                + " case: us-south");
  }

  @ParameterizedTest
  @ValueSource(strings = {"us south", "dallas", "us-south-", "us_south", "us-south-a"})
  void malformedRegionIsRejected(String region) {
    assertThat(onlyErrorOf(withInstance("id: " + ID_A + "\nregion: \"" + region + "\"")))
        .isEqualTo(
            "instances[0].region: \""
                + region
                + "\" is not a valid region name. Use the"
                + " IBM Cloud region name, such as us-south, us-east, eu-de or eu-es");
  }

  @Test
  void regionWithoutDedicatedKeyProtectWarns() throws Exception {
    try (LogCapture log = LogCapture.of(ConfigLoader.class)) {
      InstanceConfig instance = onlyInstance("id: " + ID_A + "\nregion: jp-tok");

      assertThat(instance.region()).isEqualTo("jp-tok");
      assertThat(log.warnings())
          .containsExactly(
              "test.yaml: instances[0].region: jp-tok is not one of the regions"
                  + " known to offer Dedicated Key Protect (us-south, us-east, eu-de, eu-es). Check"
                  + " the region of instance "
                  + ID_A);
    }
  }

  @Test
  void dedicatedRegionsDoNotWarn() throws Exception {
    String yaml =
        IAM
            + """
              instances:
                - {id: 00000000-0000-4000-8000-000000000001, region: us-south}
                - {id: 00000000-0000-4000-8000-000000000002, region: us-east}
                - {id: 00000000-0000-4000-8000-000000000003, region: eu-de}
                - {id: 00000000-0000-4000-8000-000000000004, region: eu-es}
              """;
    try (LogCapture log = LogCapture.of(ConfigLoader.class)) {
      assertThat(parse(yaml).instances()).hasSize(4);

      assertThat(log.warnings()).isEmpty();
    }
  }

  @Test
  void errorsOfSeveralInstancesAreAllReported() {
    String yaml =
        IAM
            + """
              instances:
                - id: not-a-guid
                  region: us-south
                - id: 0a1b2c3d-4e5f-4a6b-8c7d-00000000cafe
                - id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef
                  region: eu-de
                  endpoint: ftp://127.0.0.1
              """;

    assertThat(errorsOf(yaml))
        .hasSize(3)
        .anySatisfy(error -> assertThat(error).startsWith("test.yaml: instances[0].id: "))
        .anySatisfy(error -> assertThat(error).startsWith("test.yaml: instances[1].region: "))
        .anySatisfy(error -> assertThat(error).startsWith("test.yaml: instances[2].endpoint: "));
  }
}
