package io.github.keyprotectexporter.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads and checks the {@code instances} list. */
final class InstancesReader {

  static final List<String> KEYS =
      List.of("id", "name", "region", "private", "endpoint", "probe", "source");

  /** Regions that offer Dedicated Key Protect. Another well-formed region only draws a warning. */
  static final List<String> DEDICATED_REGIONS = List.of("us-south", "us-east", "eu-de", "eu-es");

  private static final String EXAMPLE_ID = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String GUID_PART = "[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}";
  private static final Pattern GUID = Pattern.compile(GUID_PART);
  private static final Pattern GUID_IN_CRN = Pattern.compile(":(" + GUID_PART + ")::?$");
  private static final Pattern REGION = Pattern.compile("[a-z]+-[a-z]+(?:-[0-9]+)?");
  private static final String REGION_EXAMPLES = "us-south, us-east, eu-de or eu-es";

  private InstancesReader() {}

  /**
   * Reads the instances.
   *
   * @param probeDefaults the top-level probe settings, which each instance's probe overrides
   * @param pollTimeout the limit of one request, which a configured probe interval must be at least
   */
  static List<InstanceConfig> read(
      ConfigNode instances, ProbeSettings probeDefaults, Duration pollTimeout) {
    if (instances.isAbsentOrNull()) {
      instances.error(
          "missing. List at least one Key Protect instance, each with its id and"
              + " region, for example: instances: [{id: "
              + EXAMPLE_ID
              + ", region: us-south}]");
      return List.of();
    }
    List<ConfigNode> elements = instances.elements("a list of instances, each with id and region");
    if (instances.isList() && elements.isEmpty()) {
      instances.error(
          "the list is empty. Add at least one Key Protect instance with its id and region");
    }
    List<InstanceConfig> configs = new ArrayList<>();
    Map<String, String> pathById = new HashMap<>();
    for (ConfigNode element : elements) {
      readInstance(element, pathById, probeDefaults, pollTimeout).ifPresent(configs::add);
    }
    return configs;
  }

  private static Optional<InstanceConfig> readInstance(
      ConfigNode element,
      Map<String, String> pathById,
      ProbeSettings probeDefaults,
      Duration pollTimeout) {
    if (!element.isMapping(List.of("id", "region"))) {
      if (element.isAbsentOrNull()) {
        element.error("the list item is empty. Give the instance as id and region keys");
      }
      return Optional.empty();
    }
    element.allowOnlyKeys(KEYS);
    Optional<String> id = readId(element.get("id"));
    id.ifPresent(value -> checkUnique(element.get("id"), value, pathById));
    Optional<String> region = readRegion(element.get("region"));
    String name = element.get("name").text("a display name").orElse("");
    boolean privateEndpoint = element.get("private").bool(false);
    URI endpoint = readEndpoint(element.get("endpoint")).orElse(null);
    ProbeSettings probe =
        ProbeSettingsReader.readInstance(element.get("probe"), probeDefaults, pollTimeout);
    Optional<SourceConfig> source = SourceConfigReader.read(element.get("source"));
    if (id.isEmpty() || region.isEmpty() || source.isEmpty()) {
      return Optional.empty();
    }
    warnAboutRegion(element, id.get(), region.get());
    // The probe's default endpoint depends on private, so private matters even with endpoint set.
    boolean probeUsesPrivate = probe.enabled() && probe.endpoint() == null;
    if (endpoint != null && !element.get("private").isAbsent() && !probeUsesPrivate) {
      element.get("private").warn("ignored for instance " + id.get() + " because endpoint is set");
    }
    if (endpoint != null && probe.enabled() && probe.endpoint() == null) {
      element
          .get("endpoint")
          .warn(
              "replaces only the crypto-units endpoint. The key-operation probe of instance "
                  + id.get()
                  + " still goes to "
                  + ProbeSettings.defaultEndpoint(region.get(), privateEndpoint)
                  + "; set probe.endpoint to send it elsewhere");
    }
    return Optional.of(
        new InstanceConfig(id.get(), name, region.get(), privateEndpoint, endpoint, probe,
            source.get()));
  }

  private static Optional<String> readId(ConfigNode node) {
    if (node.isAbsent()) {
      node.error("missing. Give the GUID of the Key Protect instance, such as " + EXAMPLE_ID);
      return Optional.empty();
    }
    Optional<String> id = node.text("the instance GUID such as " + EXAMPLE_ID);
    if (id.isPresent() && !GUID.matcher(id.get()).matches()) {
      node.error(
          Echo.quote(id.get())
              + " is not an instance GUID. Expected 8-4-4-4-12 hex digits such as "
              + EXAMPLE_ID
              + crnHint(id.get()));
      return Optional.empty();
    }
    return id.map(value -> value.toLowerCase(Locale.ROOT));
  }

  private static String crnHint(String text) {
    Matcher guid = GUID_IN_CRN.matcher(text);
    if (text.startsWith("crn:") && guid.find()) {
      return ". This is a CRN, whose instance GUID is " + guid.group(1).toLowerCase(Locale.ROOT);
    }
    return ". Find it with: ibmcloud resource service-instance NAME --id";
  }

  private static Optional<String> readRegion(ConfigNode node) {
    if (node.isAbsent()) {
      node.error("missing. Give the region of the instance, such as " + REGION_EXAMPLES);
      return Optional.empty();
    }
    Optional<String> region = node.text("a region such as us-south");
    if (region.isPresent() && !REGION.matcher(region.get()).matches()) {
      String lower = region.get().toLowerCase(Locale.ROOT);
      String fix =
          REGION.matcher(lower).matches()
              ? "Write it in lower case: " + lower
              : "Use the IBM Cloud region name, such as " + REGION_EXAMPLES;
      node.error(Echo.quote(region.get()) + " is not a valid region name. " + fix);
      return Optional.empty();
    }
    return region;
  }

  private static void warnAboutRegion(ConfigNode element, String id, String region) {
    if (!DEDICATED_REGIONS.contains(region)) {
      element
          .get("region")
          .warn(
              region
                  + " is not one of the regions known to offer Dedicated Key Protect ("
                  + String.join(", ", DEDICATED_REGIONS)
                  + "). Check the region of instance "
                  + id);
    }
  }

  private static Optional<URI> readEndpoint(ConfigNode node) {
    String example = "https://" + EXAMPLE_ID + ".api.us-south.kms.appdomain.cloud";
    return HttpUrls.read(node, example, "the access token").map(InstancesReader::withoutSlash);
  }

  // The poller appends API paths to the endpoint, so a trailing slash would double.
  private static URI withoutSlash(URI endpoint) {
    String text = endpoint.toString();
    return text.endsWith("/") ? URI.create(text.replaceFirst("/+$", "")) : endpoint;
  }

  private static void checkUnique(ConfigNode node, String id, Map<String, String> pathById) {
    String first = pathById.putIfAbsent(id, node.path());
    if (first != null) {
      node.error(id + " is listed twice, first at " + first + ". Remove one of the two entries");
    }
  }
}
