package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.http.InstanceStatus.UnitStatus;
import io.github.keyprotectexporter.polling.SnapshotStore;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Serves {@code GET /} and {@code HEAD /}: a small HTML page with links to the other endpoints and
 * one table row per instance. Every value from the config or the API is HTML-escaped, and the page
 * loads no script and no external asset. A meta refresh reloads it, which needs no script and
 * which no directive of Content Security Policy Level 3 restricts.
 */
final class StatusPage implements Handler {

  static final String CONTENT_TYPE = "text/html; charset=utf-8";

  /** Allows only the inline style sheet, so that even an escaping bug cannot run a script. */
  static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

  /** Seconds after which the browser reloads the page, by a meta refresh that needs no script. */
  static final int REFRESH_SECONDS = 30;

  /** Class of a row whose instance is not up or not ready. */
  static final String ATTENTION_CLASS = "attention";

  private static final String HEAD =
      """
      <!DOCTYPE html>
      <html lang="en">
      <head>
      <meta charset="utf-8">
      <meta http-equiv="refresh" content="{refreshSeconds}">
      <title>keyprotect-exporter</title>
      <style>
      body { font-family: system-ui, sans-serif; margin: 1em; color: #222; }
      table { border-collapse: collapse; font-size: 0.9em; width: 100%; }
      th, td { border: 1px solid #bbb; padding: 0.3em 0.6em; text-align: left; }
      th { background: #f2f2f2; }
      td { vertical-align: top; }
      td:first-child { font-family: monospace; white-space: nowrap; }
      td li { font-family: monospace; }
      /* Columns by position: 2 name, 7 unit states, 8 last success, 9 last error, 10 key probe. */
      td:nth-child(7) { min-width: 12em; overflow-wrap: anywhere; }
      td:nth-child(8) { white-space: nowrap; }
      /* Names, unit ids, errors and probe results can be long words or URLs, so they wrap. */
      td:nth-child(2) { min-width: 7em; max-width: 16em; overflow-wrap: anywhere; }
      td:nth-child(9), td:nth-child(10) { min-width: 9em; max-width: 20em; \
      overflow-wrap: anywhere; }
      td ul { margin: 0; padding-left: 1.2em; }
      tr.attention td { background: #fde2e1; }
      tr.attention td:first-child { border-left: 0.4em solid #b3261e; }
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

  private static final String LEGEND =
      """
      Rows of instances that are not up or not ready have a red background and a thick red \
      left border.""";

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
    StringBuilder html = new StringBuilder(
        HEAD.replace("{refreshSeconds}", Integer.toString(REFRESH_SECONDS)));
    html.append("<p>Status as of ").append(escape(timestamp(now)))
        .append(". This page refreshes every ").append(REFRESH_SECONDS).append(" s. ")
        .append(LEGEND).append("</p>\n");
    html.append(TABLE_HEAD);
    for (InstanceStatus status : InstanceStatus.ofAll(store, now)) {
      appendRow(html, status);
    }
    html.append("</tbody>\n</table>\n</body>\n</html>\n");
    return html.toString();
  }

  private static void appendRow(StringBuilder html, InstanceStatus status) {
    boolean attention = !status.up() || !status.ready();
    html.append(attention ? "<tr class=\"" + ATTENTION_CLASS + "\">" : "<tr>");
    cell(html, status.instanceId());
    cell(html, status.name());
    cell(html, status.region());
    cell(html, !status.polled() ? "not polled yet" : yesNo(status.up()));
    cell(html, yesNo(status.ready()));
    cell(html, Integer.toString(status.servingUnits()));
    html.append("<td>").append(unitStates(status)).append("</td>");
    cell(html, status.unitsPolledAt() == null ? "never" : timestamp(status.unitsPolledAt()));
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
        list.append(" since ").append(escape(timestamp(unit.stateSince())));
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
      return "ok at " + timestamp(probe.probedAt());
    }
    return probe.failureReason() + ": " + probe.failureMessage();
  }

  /** Formats an instant in ISO-8601 UTC to the second, because the page is read by people. */
  static String timestamp(Instant instant) {
    return instant.truncatedTo(ChronoUnit.SECONDS).toString();
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
