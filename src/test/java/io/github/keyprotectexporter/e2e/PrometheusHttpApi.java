package io.github.keyprotectexporter.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Calls the HTTP API of a Prometheus or Alertmanager server that the test started. */
final class PrometheusHttpApi {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(10);

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final int port;
  private final String baseUrl;

  PrometheusHttpApi(int port) {
    this.port = port;
    this.baseUrl = "http://127.0.0.1:" + port;
  }

  int port() {
    return port;
  }

  /** The status and body of a response. */
  record Response(int status, String body) {

    JsonNode json() throws IOException {
      return JSON.readTree(body);
    }
  }

  Response get(String path) throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
        .GET().build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  Response post(String path, String contentType, String body)
      throws IOException, InterruptedException {
    HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
        .header("Content-Type", contentType)
        .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
    return new Response(response.statusCode(), response.body());
  }

  /** Runs an instant query and returns the response, whose status may be "error". */
  Response query(String promql) throws IOException, InterruptedException {
    return get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
  }

  /** Returns whether {@code /-/ready} returns 200, which it does not while the server starts. */
  boolean ready() throws InterruptedException {
    try {
      return get("/-/ready").status() == 200;
    } catch (IOException e) {
      return false;
    }
  }
}
