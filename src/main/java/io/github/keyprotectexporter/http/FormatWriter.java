package io.github.keyprotectexporter.http;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Instant;
import java.util.Arrays;

/**
 * The client library's writer of one exposition format and escaping scheme, with the trailer that
 * it appends after the last family. In client_java 1.10.0, OpenMetrics writes {@code # EOF} and
 * the other formats write nothing.
 */
final class FormatWriter {

  private final ExpositionFormatWriter writer;
  private final EscapingScheme escaping;
  private final byte[] trailer;

  FormatWriter(ExpositionFormatWriter writer, EscapingScheme escaping) {
    this.writer = writer;
    this.escaping = escaping;
    this.trailer = render(new MetricSnapshots());
  }

  String contentType() {
    return writer.getContentType();
  }

  /** Returns the trailer. Callers must not modify it, because every scrape shares it. */
  byte[] trailer() {
    return trailer;
  }

  /** Renders {@code families} as the writer does, trailer included. */
  byte[] render(MetricSnapshots families) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(8 * 1024);
    write(out, families);
    return out.toByteArray();
  }

  /** Renders {@code families} without the trailer, so that more families can follow. */
  byte[] renderWithoutTrailer(MetricSnapshots families) {
    byte[] rendered = render(families);
    int end = rendered.length - trailer.length;
    if (end < 0 || !Arrays.equals(rendered, end, rendered.length, trailer, 0, trailer.length)) {
      throw trailerMissing();
    }
    return end == rendered.length ? rendered : Arrays.copyOf(rendered, end);
  }

  /**
   * Renders each of {@code families} on its own, without the trailer, and notes where each one
   * starts, so that other families can later go between them.
   */
  Rendering renderEach(
      MetricSnapshots families, long generation, Instant renderedAt, Instant validUntil) {
    String[] names = new String[families.size()];
    int[] offsets = new int[families.size() + 1];
    RenderBuffer out = new RenderBuffer();
    for (int i = 0; i < families.size(); i++) {
      names[i] = families.get(i).getMetadata().getPrometheusName();
      offsets[i] = out.size();
      renderFamily(out, families.get(i));
    }
    offsets[families.size()] = out.size();
    return new Rendering(generation, renderedAt, validUntil, out.toByteArray(), names, offsets);
  }

  private void renderFamily(RenderBuffer out, MetricSnapshot family) {
    int start = out.size();
    write(out, new MetricSnapshots(family));
    if (!out.endsWith(start, trailer)) {
      throw trailerMissing();
    }
    out.dropLast(trailer.length);
  }

  private void write(ByteArrayOutputStream out, MetricSnapshots families) {
    try {
      writer.write(out, families, escaping);
    } catch (IOException e) {
      // ByteArrayOutputStream does not throw IOException, so only the writer can raise one here.
      throw new IllegalStateException("Failed to render metrics: " + e, e);
    }
  }

  private IllegalStateException trailerMissing() {
    return new IllegalStateException(
        "Output of " + writer.getClass().getSimpleName() + " does not end with its trailer");
  }

  /** A buffer whose last bytes can be compared and dropped, to strip a writer's trailer. */
  private static final class RenderBuffer extends ByteArrayOutputStream {

    RenderBuffer() {
      super(64 * 1024);
    }

    boolean endsWith(int start, byte[] suffix) {
      int from = count - suffix.length;
      return from >= start && Arrays.equals(buf, from, count, suffix, 0, suffix.length);
    }

    void dropLast(int length) {
      count -= length;
    }
  }
}
