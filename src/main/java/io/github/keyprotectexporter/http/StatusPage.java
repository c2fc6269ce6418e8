package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.http.InstanceStatus.UnitStatus;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Serves {@code GET /}: a small HTML page with links to the other endpoints and one table row per
 * instance. Every value from the config or the API is HTML-escaped, and the page loads no script
 * and no external asset.
 */
final class StatusPage implements Handler {

  static final String CONTENT_TYPE = "text/html; charset=utf-8";

  /** Allows only the inline style sheet, so that even an escaping bug cannot run a script. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

  private static final String HEAD =
      """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <title>keyprotect-exporter</title>
      <style>
      body { font-family: system-ui, sans-serif; margin: 2em; color: #222; }
      table { border-collapse: collapse; font-size: 0.9em; }
      th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; }
      th { background: #f2f2f2; }
      td { vertical-align: top; }
      td:first-child { font-family: monospace; white-space: nowrap; }
      td li { font-family: monospace; }
      td:last-child { min-width: 16em; max-width: 32em; }
      td ul { margin: 0; padding-left: 1.2em; }
      </style>
      </head>
      <body>
      <h1>keyprotect-exporter</h1>
      <p>Exports the states of the crypto units behind IBM Dedicated Key Protect instances.</p>
      <ul>
      <li><a href="/metrics">/metrics</a>: metrics for Prometheus</li>
      <li><a href="/-/healthy">/-/healthy</a>: liveness</li>
      <li><a href="/-/ready">/-/ready</a>: readiness, once every instance has been polled</li>
      <li><a href="/api/v1/instances">/api/v1/instances</a>: instance status as JSON</li>
      </ul>
      <h2>Instances</h2>
      """;

  private static final String TABLE_HEAD =
      """
      <table>
      <thead><tr><th>Instance ID</th><th>Name</th><th>Region</th><th>Up</th><th>Ready</th>\
      <th>Serving units</th><th>Unit states</th><th>Last success</th><th>Last error</th>\
      <th>Key probe</th></tr></thead>
      <tbody>
      """;

  private final SnapshotStore store;
  private final Clock clock;

  StatusPage(SnapshotStore store, Clock clock) {
    this.store = store;
    this.clock = clock;
  }

  @Override
  public void handle(Context ctx) {
    ctx.contentType(CONTENT_TYPE);
    ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    ctx.result(render(store, clock.instant()));
  }

  static String render(SnapshotStore store, Instant now) {
    StringBuilder html = new StringBuilder(HEAD);
    html.append("<p>Status as of ").append(escape(now.toString())).append(".</p>\n");
    html.append(TABLE_HEAD);
    for (InstanceStatus status : InstanceStatus.ofAll(store, now)) {
      appendRow(html, status);
    }
    html.append("</tbody>\n</table>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void appendRow(StringBuilder html, InstanceStatus status) {
    html.append("<tr>");
    cell(html, status.instanceId());
    cell(html, status.name());
    cell(html, status.region());
    cell(html, !status.polled() ? "not polled yet" : yesNo(status.up()));
    cell(html, yesNo(status.ready()));
    cell(html, Integer.toString(status.servingUnits()));
    html.append("<td>").append(unitStates(status)).append("</td>");
    cell(html, status.unitsPolledAt() == null ? "never" : status.unitsPolledAt().toString());
    cell(html, lastError(status));
    cell(html, keyProbe(status.keyProbe()));
    html.append("</tr>\n");
  }

  private static String unitStates(InstanceStatus status) {
    List<UnitStatus> units = status.units();
    if (units.isEmpty()) {
      return "none";
    }
    StringBuilder list = new StringBuilder();
    if (!status.unitsCurrent()) {
      list.append("stale, from the last successful poll:");
    }
    list.append("<ul>");
    for (UnitStatus unit : units) {
      list.append("<li>").append(escape(unit.id())).append(": ").append(escape(unit.state()));
      if (unit.stateSince() != null) {
        list.append(" since ").append(escape(unit.stateSince().toString()));
      }
      list.append("</li>");
    }
    return list.append("</ul>").toString();
  }

  private static String lastError(InstanceStatus status) {
    if (status.lastErrorReason() == null) {
      return "none";
    }
    String message = status.lastErrorMessage();
    return message == null || message.isBlank()
        ? status.lastErrorReason()
        : status.lastErrorReason() + ": " + message;
  }

  private static String keyProbe(InstanceStatus.ProbeStatus probe) {
    if (probe == null) {
      return "off";
    }
    if (!probe.probed()) {
      return "not probed yet";
    }
    if (probe.success()) {
      return "ok at " + probe.probedAt();
    }
    return probe.failureReason() + ": " + probe.failureMessage();
  }

  private static void cell(StringBuilder html, String text) {
    html.append("<td>").append(escape(text)).append("</td>");
  }

  private static String yesNo(boolean value) {
    return value ? "yes" : "no";
  }

  /** Escapes text for an HTML element or a quoted attribute value. */
  static String escape(String text) {
    if (text == null) {
      return "";
    }
    StringBuilder escaped = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> escaped.append("&lt;");
        case '>' -> escaped.append("&gt;");
        case '&' -> escaped.append("&amp;");
        case '"' -> escaped.append("&quot;");
        case '\'' -> escaped.append("&#39;");
        default -> escaped.append(c);
      }
    }
    return escaped.toString();
  }
}
