package io.github.keyprotectexporter.simulator;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.github.keyprotectexporter.config.Durations;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the units that a running simulator serves into an adapter file, as an adapter beside the
 * HSMs would, including the master-key check values of the scenario. Each write goes to a
 * temporary file in the same directory that is then renamed over the target, the contract that
 * {@code docs/adapter-format.md} requires of every writer.
 *
 * <pre>{@code
 * try (AdapterFileWriter writer = new AdapterFileWriter(simulator, Path.of("units.json"), clock)) {
 *   writer.start(Duration.ofSeconds(1));
 * }
 * }</pre>
 */
public final class AdapterFileWriter implements AutoCloseable {

  private static final Logger logger = LoggerFactory.getLogger(AdapterFileWriter.class);
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private final SimulatorServer simulator;
  private final Path file;
  private final Clock clock;
  private ScheduledExecutorService scheduler;

  /**
   * Creates a writer.
   *
   * @param clock the source of {@code generatedAt}, the simulator's clock in tests
   */
  public AdapterFileWriter(SimulatorServer simulator, Path file, Clock clock) {
    this.simulator = Objects.requireNonNull(simulator, "simulator");
    this.file = Objects.requireNonNull(file, "file");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Writes the file once now, then every {@code period} until closed.
   *
   * @throws UncheckedIOException when the first write fails, for example in a missing directory
   */
  public synchronized void start(Duration period) {
    write();
    scheduler = Executors.newSingleThreadScheduledExecutor(task -> {
      Thread thread = new Thread(task, "adapter-file-writer");
      thread.setDaemon(true);
      return thread;
    });
    scheduler.scheduleWithFixedDelay(this::writeAndLogFailure, period.toMillis(),
        period.toMillis(), TimeUnit.MILLISECONDS);
    logger.info("Adapter file written every {} path={}", Durations.format(period), file);
  }

  /**
   * Writes the current units of every simulated instance, replacing the file atomically.
   *
   * @throws UncheckedIOException when the file cannot be written
   */
  public void write() {
    Path temporary = file.resolveSibling("." + file.getFileName() + ".tmp");
    try {
      Files.writeString(temporary, render(), StandardCharsets.UTF_8);
      try {
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Adapter file " + file + " could not be written", e);
    }
  }

  /** Renders the adapter document of the current scenario step of every instance. */
  String render() {
    List<Map<String, Object>> instances = new ArrayList<>();
    for (SimulatedInstance instance : simulator.instances()) {
      List<Map<String, Object>> units = new ArrayList<>();
      for (SimulatedUnit unit : simulator.currentStep(instance.id()).units()) {
        Map<String, Object> element = new LinkedHashMap<>();
        element.put("id", unit.id());
        element.put("state", unit.state());
        if (unit.masterKeyCheckValue() != null) {
          element.put("masterKeyCheckValue", unit.masterKeyCheckValue());
        }
        units.add(element);
      }
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", instance.id());
      entry.put("units", units);
      instances.add(entry);
    }
    Map<String, Object> document = new LinkedHashMap<>();
    document.put("formatVersion", 1);
    document.put("generatedAt", clock.instant().toString());
    document.put("instances", instances);
    try {
      return MAPPER.writeValueAsString(document) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Adapter document could not be rendered as JSON", e);
    }
  }

  private void writeAndLogFailure() {
    try {
      write();
    } catch (UncheckedIOException | IllegalStateException e) {
      logger.warn("Adapter file not written path={} error=\"{}\"", file, e.getMessage());
    }
  }

  /** Stops writing; the last file stays. */
  @Override
  public synchronized void close() {
    if (scheduler != null) {
      scheduler.shutdownNow();
    }
  }
}
