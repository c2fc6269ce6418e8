package io.github.keyprotectexporter.e2e;

import io.github.keyprotectexporter.config.Durations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Derives the configs of the end-to-end chain from the shipped files, changing only timings and
 * addresses, so that the chain runs the shipped rules, routes and inhibitions.
 */
final class ChainConfigs {

  /**
   * The shipped for: and keep_firing_for: values assume polls every 30 s. The chain polls, scrapes
   * and evaluates every second, so dividing by 30 keeps the same number of polls per alert.
   */
  static final int TIME_SCALE = 30;

  private static final Pattern RULE_DURATION =
      Pattern.compile("(?m)^(\\s+(?:for|keep_firing_for): )(\\S+)\\s*$");

  private ChainConfigs() {}

  /**
   * Copies the rule file with every {@code for:} and {@code keep_firing_for:} divided by
   * {@link #TIME_SCALE}, rounded up to whole seconds, and everything else unchanged.
   */
  static Path shortenRules(Path shipped, Path target) throws IOException {
    Matcher matcher = RULE_DURATION.matcher(Files.readString(shipped));
    StringBuilder shortened = new StringBuilder();
    int replaced = 0;
    while (matcher.find()) {
      Duration original = Durations.parse(matcher.group(2));
      long seconds = Math.max(1, (original.toSeconds() + TIME_SCALE - 1) / TIME_SCALE);
      String replacement = matcher.group(1) + seconds + "s";
      matcher.appendReplacement(shortened, Matcher.quoteReplacement(replacement));
      replaced++;
    }
    matcher.appendTail(shortened);
    if (replaced == 0) {
      throw new IllegalStateException(shipped + " has no for: to shorten");
    }
    return Files.writeString(target, shortened, StandardCharsets.UTF_8);
  }

  /**
   * Copies the Alertmanager config with every webhook URL replaced by {@code urlForReceiver} of
   * its receiver's name, and group_wait and group_interval cut to 1 s so that notifications and
   * resolutions arrive within seconds. Routes, matchers and inhibit rules stay as shipped.
   */
  @SuppressWarnings("unchecked")
  static Path alertmanagerConfig(Path shipped, Path target, UnaryOperator<String> urlForReceiver)
      throws IOException {
    Map<String, Object> config = (Map<String, Object>) readYaml(shipped);
    shortenGrouping((Map<String, Object>) config.get("route"), true);
    for (Map<String, Object> receiver : (List<Map<String, Object>>) config.get("receivers")) {
      Object webhooks = receiver.get("webhook_configs");
      if (webhooks != null) {
        for (Map<String, Object> webhook : (List<Map<String, Object>>) webhooks) {
          webhook.put("url", urlForReceiver.apply((String) receiver.get("name")));
        }
      }
    }
    return Files.writeString(target, dumpYaml(config), StandardCharsets.UTF_8);
  }

  /**
   * Writes a Prometheus config that scrapes {@code targets} every second as the job the rules
   * select, and sends alerts to the Alertmanager on {@code alertmanagerPort}. Without
   * {@code ruleFile}, no rule is loaded yet.
   */
  static Path prometheusConfig(Path target, List<String> targets, int alertmanagerPort,
      Path ruleFile) throws IOException {
    StringBuilder yaml = new StringBuilder()
        .append("global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n")
        .append("  evaluation_interval: 1s\n");
    if (ruleFile != null) {
      yaml.append("rule_files:\n  - ").append(ruleFile.toAbsolutePath()).append('\n');
    }
    yaml.append("alerting:\n  alertmanagers:\n    - static_configs:\n")
        .append("        - targets: ['127.0.0.1:").append(alertmanagerPort).append("']\n")
        .append("scrape_configs:\n  - job_name: keyprotect-exporter\n    static_configs:\n")
        .append("      - targets: [");
    yaml.append(String.join(", ", targets.stream().map(t -> "'" + t + "'").toList()));
    yaml.append("]\n");
    return Files.writeString(target, yaml, StandardCharsets.UTF_8);
  }

  /**
   * Rewrites the poll section of an agent config that {@code simulate --write-config} wrote, and
   * keeps every other section.
   */
  @SuppressWarnings("unchecked")
  static void setPollSettings(Path agentConfig, Map<String, Object> poll) throws IOException {
    Map<String, Object> config = (Map<String, Object>) readYaml(agentConfig);
    config.put("poll", poll);
    Files.writeString(agentConfig, dumpYaml(config), StandardCharsets.UTF_8);
  }

  /** Sets the root route's timings, and those of child routes that override them. */
  @SuppressWarnings("unchecked")
  private static void shortenGrouping(Map<String, Object> route, boolean root) {
    for (String key : List.of("group_wait", "group_interval")) {
      if (root || route.containsKey(key)) {
        route.put(key, "1s");
      }
    }
    Object children = route.get("routes");
    if (children != null) {
      ((List<Map<String, Object>>) children).forEach(child -> shortenGrouping(child, false));
    }
  }

  private static Object readYaml(Path file) throws IOException {
    return new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
  }

  private static String dumpYaml(Object document) {
    DumperOptions options = new DumperOptions();
    options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
    return new Yaml(new Representer(options), options).dump(document);
  }
}
