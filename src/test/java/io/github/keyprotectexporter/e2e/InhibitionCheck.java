package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.keyprotectexporter.e2e.AlertWebhookReceiver.ReceivedAlert;
import java.io.IOException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * Posts alert pairs straight to Alertmanager to check the shipped inhibit rules: each muted alert
 * is posted together with its source alert, and each has an unmuted twin whose delivery shows
 * that the muted one would have arrived by then. The jobs are made up, so these alerts mute
 * nothing of the real chain.
 */
final class InhibitionCheck {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String JOB = "inhibition-check";
  private static final String DOWN_JOB = "inhibition-check-down";

  private final PrometheusHttpApi alertmanager;
  private final AlertWebhookReceiver receiver;

  InhibitionCheck(PrometheusHttpApi alertmanager, AlertWebhookReceiver receiver) {
    this.alertmanager = alertmanager;
    this.receiver = receiver;
  }

  void postAlerts() throws IOException, InterruptedException {
    ArrayNode alerts = JSON.createArrayNode();
    // Instance inhibit-1 has no serving unit, so its single point of failure is muted.
    alerts.add(alert("KeyProtectNoServingCryptoUnit", "critical", JOB, "inhibit-1"));
    alerts.add(alert("KeyProtectSinglePointOfFailure", "warning", JOB, "inhibit-1"));
    alerts.add(alert("KeyProtectSinglePointOfFailure", "warning", JOB, "inhibit-2"));
    // The exporter of DOWN_JOB cannot be scraped, so its per-instance alerts are muted.
    alerts.add(alert("KeyProtectExporterDown", "critical", DOWN_JOB, null));
    alerts.add(alert("KeyProtectPollFailing", "warning", DOWN_JOB, "inhibit-3"));
    alerts.add(alert("KeyProtectPollFailing", "warning", JOB, "inhibit-4"));

    PrometheusHttpApi.Response response =
        alertmanager.post("/api/v2/alerts", "application/json", JSON.writeValueAsString(alerts));
    assertThat(response.status()).as(response.body()).isEqualTo(200);
  }

  /** Returns whether every alert that no rule mutes has reached its receiver. */
  boolean unmutedAlertsDelivered() {
    return receiver.received("pager", "firing", "KeyProtectNoServingCryptoUnit", "instance_id",
            "inhibit-1")
        && receiver.received("work-queue", "firing", "KeyProtectSinglePointOfFailure",
            "instance_id", "inhibit-2")
        && receiver.received("pager", "firing", "KeyProtectExporterDown", "job", DOWN_JOB)
        && receiver.received("work-queue", "firing", "KeyProtectPollFailing", "instance_id",
            "inhibit-4");
  }

  /** Returns the muted alerts that reached a receiver anyway; empty when the rules work. */
  List<ReceivedAlert> mutedAlertsDelivered() {
    return receiver.matching(alert ->
        alert.label("instance_id").equals("inhibit-1")
            && alert.label("alertname").equals("KeyProtectSinglePointOfFailure")
        || alert.label("instance_id").equals("inhibit-3"));
  }

  private static ObjectNode alert(String name, String severity, String job, String instanceId) {
    ObjectNode alert = JSON.createObjectNode();
    ObjectNode labels = alert.putObject("labels");
    labels.put("alertname", name).put("severity", severity).put("job", job)
        .put("instance", "127.0.0.1:1");
    if (instanceId != null) {
      labels.put("instance_id", instanceId);
    }
    alert.putObject("annotations").put("summary", "Posted by the inhibition check.");
    Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
    alert.put("startsAt", now.toString());
    alert.put("endsAt", now.plus(10, ChronoUnit.MINUTES).toString());
    return alert;
  }
}
