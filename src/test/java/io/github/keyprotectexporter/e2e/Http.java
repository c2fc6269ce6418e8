package io.github.keyprotectexporter.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A plain HTTP client for the agent's endpoints on 127.0.0.1. */
final class Http {

  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  private Http() {}

  /** A response's status code, content type and body. */
  record Response(int status, String contentType, String body) {}

  static Response get(int port, String path) {
    return get(port, path, "*/*");
  }

  /**
   * Sends {@code GET http://127.0.0.1:port/path}.
   *
   * @throws UncheckedIOException when no response arrives, for example before the server listens
   */
  static Response get(int port, String path, String accept) {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .header("Accept", accept)
        .timeout(Duration.ofSeconds(30))
        .GET()
        .build();
    try {
      HttpResponse<String> response = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      String contentType = response.headers().firstValue("Content-Type").orElse("");
      return new Response(response.statusCode(), contentType, response.body());
    } catch (IOException e) {
      throw new UncheckedIOException("GET " + request.uri() + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Returns the text-format body of {@code /metrics}, asserting nothing about its status. */
  static String metricsText(int port) {
    return get(port, "/metrics", "text/plain").body();
  }

  /** Returns whether something accepts TCP connections on 127.0.0.1:port. */
  static boolean listening(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
