package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.CommandSourceConfig;
import io.github.keyprotectexporter.config.EnvironmentTemplates;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads one instance's crypto units from the standard output of a configured program, run once
 * per poll. The program's environment is resolved once, when the source is created.
 */
final class CommandSource implements CryptoUnitSource {

  /**
   * Shortest resolved value that is masked in messages. Shorter values, such as a flag of 1, would
   * mask unrelated text.
   */
  static final int MIN_MASKED_CHARS = 4;

  private static final Logger logger = LoggerFactory.getLogger(CommandSource.class);

  private final CommandSourceConfig config;
  private final CommandRunner runner;
  private final CommandOutputParser parser = new CommandOutputParser();
  private final Duration staleAfter;
  private final Clock clock;
  private final UnknownStateLog unknownStates;
  private final UnaryOperator<String> mask;

  /**
   * Creates a source.
   *
   * @param defaultTimeout the timeout when the config sets none, {@code poll.timeout}
   * @param staleAfter maximum age of an adapter document, {@code poll.stale_after}
   * @param agentEnvironment the agent's environment, which {@code ${NAME}} references read
   * @throws IllegalArgumentException when a referenced variable is not set
   */
  CommandSource(CommandSourceConfig config, Duration defaultTimeout, Duration staleAfter,
      Map<String, String> agentEnvironment, Clock clock, UnknownStateLog unknownStates) {
    this.config = Objects.requireNonNull(config, "config");
    this.staleAfter = Objects.requireNonNull(staleAfter, "staleAfter");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.unknownStates = Objects.requireNonNull(unknownStates, "unknownStates");
    Map<String, String> environment = new LinkedHashMap<>();
    List<Secret> referencedValues = new ArrayList<>();
    config.environment().forEach((name, template) -> {
      String value = EnvironmentTemplates.resolve(template, agentEnvironment);
      environment.put(name, value);
      if (!EnvironmentTemplates.references(template).isEmpty()
          && value.length() >= MIN_MASKED_CHARS) {
        referencedValues.add(new Secret(value));
      }
    });
    this.mask = text -> {
      String masked = text;
      for (Secret secret : referencedValues) {
        masked = secret.maskIn(masked);
      }
      return masked;
    };
    Duration timeout = config.timeout() == null ? defaultTimeout : config.timeout();
    this.runner = new CommandRunner(config.argv(), environment, timeout,
        config.maxOutputBytes(), mask);
  }

  @Override
  public List<CryptoUnit> listCryptoUnits(InstanceConfig instance) throws PollException {
    CommandRunner.Result result = runner.run();
    if (!result.stderrFirstLine().isEmpty()) {
      logger.debug("Command printed to stderr instance_id={} program={} stderr=\"{}\"",
          instance.id(), runner.program(), result.stderrFirstLine());
    }
    String id = config.documentInstanceId() == null ? instance.id() : config.documentInstanceId();
    List<CryptoUnit> units = parser.parse(result.stdout(), id, staleAfter, clock.instant(),
        "output of " + runner.program(), mask);
    unknownStates.record(instance.id(), units);
    return units;
  }
}
