package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.ApiSourceConfig;
import io.github.keyprotectexporter.config.CommandSourceConfig;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.FileSourceConfig;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.Secret;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * Builds the source that the poller uses for a configuration: one {@link RoutingCryptoUnitSource}
 * over an API source (only when an instance uses the API), one shared reader per adapter file and
 * one command source per command.
 *
 * <pre>{@code
 * Secret apiKey =
 *     CryptoUnitSources.needsApiKey(config) ? new ApiKeyLoader().load(config.iam()) : null;
 * CryptoUnitSource source =
 *     CryptoUnitSources.create(config, apiKey, metrics, clock, System.getenv());
 * }</pre>
 */
public final class CryptoUnitSources {

  private CryptoUnitSources() {}

  /**
   * Returns true when at least one instance reads the Key Protect API or probes its key API, which
   * both need the API key.
   */
  public static boolean needsApiKey(ExporterConfig config) {
    return config.instances().stream()
        .anyMatch(instance -> instance.source() instanceof ApiSourceConfig
            || instance.probe().enabled());
  }

  /**
   * Creates the sources of every instance.
   *
   * @param apiKey the API key, which may be null when {@link #needsApiKey} is false
   * @param environment the agent's environment, read by the {@code ${NAME}} references of
   *     command sources and, for the API, IAM and probe requests, by {@link ProxyEnvironment}
   * @throws IllegalArgumentException when the API key is missing but needed, a command refers
   *     to an environment variable that is not set, or a proxy variable is invalid
   */
  public static RoutingCryptoUnitSource create(ExporterConfig config, Secret apiKey,
      ApiRequestListener listener, Clock clock, Map<String, String> environment) {
    Map<String, CryptoUnitSource> sources = new HashMap<>();
    Map<Path, AdapterFileReader> readers = new HashMap<>();
    UnknownStateLog unknownStates = new UnknownStateLog();
    // Half an interval, so instances polled in the same round share one read of a file.
    Duration maxCacheAge = config.poll().interval().dividedBy(2);
    for (InstanceConfig instance : config.instances()) {
      if (instance.source() instanceof FileSourceConfig file) {
        AdapterFileReader reader = readers.computeIfAbsent(adapterFilePath(file),
            path -> new AdapterFileReader(path, AdapterFileReader.MAX_FILE_BYTES, maxCacheAge,
                clock));
        sources.put(instance.id(), new AdapterFileSource(reader, file.documentInstanceId(),
            config.poll().staleAfter(), clock, unknownStates));
      } else if (instance.source() instanceof CommandSourceConfig command) {
        sources.put(instance.id(), new CommandSource(command, config.poll().timeout(),
            config.poll().staleAfter(), environment, clock, unknownStates));
      }
    }
    if (!needsApiKey(config)) {
      return new RoutingCryptoUnitSource(sources, null);
    }
    if (apiKey == null) {
      throw new IllegalArgumentException("an instance reads the Key Protect API or probes its key"
          + " API, but no API key was loaded");
    }
    ProxyEnvironment proxies = ProxyEnvironment.fromEnvironment(environment);
    KeyProtectApiSource api = KeyProtectApiSource.create(config, apiKey, listener, proxies);
    return new RoutingCryptoUnitSource(sources, api, api.keyApiProbe());
  }

  /**
   * Returns the absolute, normalized path of an adapter file, under which instances that name the
   * same file in different ways share one reader and one watch.
   */
  static Path adapterFilePath(FileSourceConfig file) {
    return file.path().toAbsolutePath().normalize();
  }
}
