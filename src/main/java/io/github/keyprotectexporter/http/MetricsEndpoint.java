package io.github.keyprotectexporter.http;

import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.util.Locale;

/**
 * Serves {@code GET /metrics}: picks the exposition format from the {@code Accept} header
 * (Prometheus text 0.0.4, OpenMetrics 1.0 or protobuf), compresses with gzip when the client
 * accepts it, and keeps only the families named by {@code name[]} parameters when there are any.
 * The {@link ScrapeCache} renders the body.
 *
 * <p>An odd {@code Accept} header falls back to the text format instead of failing, because a
 * scrape that fails on a header hides every metric.
 */
final class MetricsEndpoint implements Handler {

  static final String NAME_PARAMETER = "name[]";

  private final ScrapeCache cache;

  MetricsEndpoint(ScrapeCache cache) {
    this.cache = cache;
  }

  @Override
  public void handle(Context ctx) {
    boolean gzip = acceptsGzip(ctx.header("Accept-Encoding"));
    ScrapeBody body = cache.scrape(ctx.header("Accept"), gzip, ctx.queryParams(NAME_PARAMETER));

    ctx.status(200);
    // Jetty would otherwise append a charset to the binary protobuf type.
    ctx.res().setCharacterEncoding(null);
    ctx.contentType(body.contentType());
    ctx.header("Vary", "Accept, Accept-Encoding");
    if (gzip) {
      ctx.header("Content-Encoding", "gzip");
    }
    if (body.parts().size() == 1 && body.parts().get(0).wholeArray()) {
      ctx.result(body.parts().get(0).array());
    } else {
      // Streaming the parts avoids copying the cached ranges, which can be megabytes, per scrape.
      ctx.res().setContentLengthLong(body.length());
      ctx.result(body.inputStream());
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
