package io.github.keyprotectexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A webhook receiver for Alertmanager on 127.0.0.1 that records every alert of every
 * notification, with the path it was sent to (one path per Alertmanager receiver).
 */
final class AlertWebhookReceiver implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final List<ReceivedAlert> alerts = new CopyOnWriteArrayList<>();

  /** One alert of a notification: the receiver path, firing or resolved, and its labels. */
  record ReceivedAlert(String receiver, String status, Map<String, String> labels) {

    String label(String name) {
      return labels.getOrDefault(name, "");
    }

    boolean firing() {
      return status.equals("firing");
    }
  }

  AlertWebhookReceiver() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::record);
    server.start();
  }

  /** Returns the URL that a receiver named {@code receiver} should post to. */
  String urlFor(String receiver) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/" + receiver;
  }

  List<ReceivedAlert> alerts() {
    return List.copyOf(alerts);
  }

  List<ReceivedAlert> matching(Predicate<ReceivedAlert> filter) {
    return alerts.stream().filter(filter).toList();
  }

  /** Returns whether {@code receiver} got {@code alertname} with {@code status} for a label. */
  boolean received(String receiver, String status, String alertname, String label, String value) {
    return !matching(alert -> alert.receiver().equals(receiver)
        && alert.status().equals(status)
        && alert.label("alertname").equals(alertname)
        && alert.label(label).equals(value)).isEmpty();
  }

  private void record(HttpExchange exchange) throws IOException {
    try (exchange; InputStream body = exchange.getRequestBody()) {
      JsonNode notification = JSON.readTree(body);
      String receiver = exchange.getRequestURI().getPath().substring(1);
      List<ReceivedAlert> received = new ArrayList<>();
      for (JsonNode alert : notification.path("alerts")) {
        Map<String, String> labels = new TreeMap<>();
        alert.path("labels").properties()
            .forEach(entry -> labels.put(entry.getKey(), entry.getValue().asText()));
        received.add(new ReceivedAlert(receiver, alert.path("status").asText(), labels));
      }
      alerts.addAll(received);
      exchange.sendResponseHeaders(200, -1);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
