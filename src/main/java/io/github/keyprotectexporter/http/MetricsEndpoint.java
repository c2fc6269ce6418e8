package io.github.keyprotectexporter.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.registry.MetricNameFilter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPOutputStream;

/**
 * Serves {@code GET /metrics}: picks the exposition format from the {@code Accept} header
 * (Prometheus text 0.0.4, OpenMetrics 1.0 or protobuf), compresses with gzip when the client
 * accepts it, and keeps only the families named by {@code name[]} parameters when there are any.
 *
 * <p>An odd {@code Accept} header falls back to the text format instead of failing, because a
 * scrape that fails on a header hides every metric.
 */
final class MetricsEndpoint implements Handler {

  static final String NAME_PARAMETER = "name[]";

  private final PrometheusRegistry registry;
  private final ExpositionFormats formats = ExpositionFormats.init();

  MetricsEndpoint(PrometheusRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(Context ctx) throws IOException {
    String accept = ctx.header("Accept");
    ExpositionFormatWriter writer = writerFor(accept);
    MetricSnapshots snapshots = scrape(ctx.queryParams(NAME_PARAMETER));
    boolean gzip = acceptsGzip(ctx.header("Accept-Encoding"));

    ByteArrayOutputStream body = new ByteArrayOutputStream(16 * 1024);
    try (OutputStream out = gzip ? new GZIPOutputStream(body) : body) {
      writer.write(out, snapshots, escapingFor(accept));
    }

    ctx.status(200);
    // Jetty would otherwise append a charset to the binary protobuf type.
    ctx.res().setCharacterEncoding(null);
    ctx.contentType(writer.getContentType());
    ctx.header("Vary", "Accept, Accept-Encoding");
    if (gzip) {
      ctx.header("Content-Encoding", "gzip");
    }
    ctx.result(body.toByteArray());
  }

  private MetricSnapshots scrape(List<String> names) {
    if (names.isEmpty()) {
      return registry.scrape();
    }
    return registry.scrape(MetricNameFilter.builder().nameMustBeEqualTo(names).build());
  }

  private ExpositionFormatWriter writerFor(String accept) {
    ExpositionFormatWriter text = formats.getPrometheusTextFormatWriter();
    if (accept == null) {
      return text;
    }
    try {
      ExpositionFormatWriter writer = formats.findWriter(accept);
      return writer != null && writer.isAvailable() ? writer : text;
    } catch (RuntimeException e) {
      return text;
    }
  }

  private static EscapingScheme escapingFor(String accept) {
    try {
      return EscapingScheme.fromAcceptHeader(accept);
    } catch (RuntimeException e) {
      return EscapingScheme.DEFAULT;
    }
  }

  /** Returns true when {@code Accept-Encoding} lists gzip without {@code q=0}. */
  static boolean acceptsGzip(String acceptEncoding) {
    if (acceptEncoding == null) {
      return false;
    }
    for (String entry : acceptEncoding.split(",")) {
      String[] parts = entry.split(";");
      if (!parts[0].strip().equalsIgnoreCase("gzip")) {
        continue;
      }
      return parts.length < 2 || !isZeroQuality(parts[1]);
    }
    return false;
  }

  private static boolean isZeroQuality(String parameter) {
    String compact = parameter.replace(" ", "").toLowerCase(Locale.ROOT);
    return compact.matches("q=0(\\.0{0,3})?");
  }
}
