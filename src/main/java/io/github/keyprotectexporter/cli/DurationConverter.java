package io.github.keyprotectexporter.cli;

import io.github.keyprotectexporter.config.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads Prometheus-style durations such as {@code 5s} or {@code 1m30s} from the command line. */
final class DurationConverter implements ITypeConverter<Duration> {

  @Override
  public Duration convert(String value) {
    return Durations.parse(value);
  }
}
