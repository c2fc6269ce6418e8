package io.github.keyprotectexporter.sources;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A forward proxy on 127.0.0.1 for tests. It records each request line (absolute-form for http
 * targets, {@code CONNECT host:port} for https ones) with its {@code Proxy-Authorization} header
 * and responds to every request itself, so no target is resolved or contacted. It rejects
 * CONNECT with 502, returns a token to a token request, two units to a crypto-unit request and
 * 200 with no body to anything else.
 */
final class RecordingProxy implements AutoCloseable {

  /** One request as the proxy received it. */
  record Received(String requestLine, String proxyAuthorization) {}

  static final String TOKEN_JSON = FakeSecrets.tokenResponse(FakeSecrets.TOKEN_A, 3600);
  static final String UNITS_JSON = """
      [{"id": "u1", "state": "kms-initialized"}, {"id": "u2", "state": "kms-initialized"}]""";

  private final ServerSocket socket;
  private final String requiredAuthorization;
  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final Thread acceptor;

  /**
   * Starts the proxy.
   *
   * @param requiredAuthorization the {@code Proxy-Authorization} value that requests must carry,
   *     rejected with 407 when missing or different; null to require none
   */
  RecordingProxy(String requiredAuthorization) throws IOException {
    this.socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.requiredAuthorization = requiredAuthorization;
    this.acceptor = new Thread(this::acceptLoop, "recording-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  /** Returns the proxy URL, {@code http://127.0.0.1:PORT}, with {@code userInfo} when given. */
  String url(String userInfo) {
    String credentials = userInfo == null ? "" : userInfo + "@";
    return "http://" + credentials + "127.0.0.1:" + socket.getLocalPort();
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  List<String> requestLines() {
    return received.stream().map(Received::requestLine).toList();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private void acceptLoop() {
    while (!socket.isClosed()) {
      try (Socket connection = socket.accept()) {
        serve(connection);
      } catch (IOException e) {
        // Closed by close(), or a client that hung up: the next accept decides.
      }
    }
  }

  private void serve(Socket connection) throws IOException {
    BufferedReader in = new BufferedReader(
        new InputStreamReader(connection.getInputStream(), StandardCharsets.ISO_8859_1));
    String requestLine = in.readLine();
    if (requestLine == null) {
      return;
    }

    Map<String, String> headers = new HashMap<>();
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      int colon = line.indexOf(':');
      if (colon > 0) {
        headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }

    // Reading the body first means that closing the socket cannot reset the client's connection.
    long bodyLength = Long.parseLong(headers.getOrDefault("content-length", "0"));
    for (long skipped = 0; skipped < bodyLength; skipped++) {
      if (in.read() < 0) {
        break;
      }
    }
    String authorization = headers.get("proxy-authorization");
    received.add(new Received(requestLine, authorization));

    OutputStream out = connection.getOutputStream();
    if (requiredAuthorization != null && !requiredAuthorization.equals(authorization)) {
      respond(out, "407 Proxy Authentication Required",
          List.of("Proxy-Authenticate: Basic realm=\"test\""), "");
    } else if (requestLine.startsWith("CONNECT ")) {
      respond(out, "502 Bad Gateway", List.of(), "");
    } else if (requestLine.contains("/identity/token")) {
      respond(out, "200 OK", List.of("Content-Type: application/json"), TOKEN_JSON);
    } else if (requestLine.contains("/api/v1/cryptounits")) {
      respond(out, "200 OK", List.of("Content-Type: application/json"), UNITS_JSON);
    } else {
      respond(out, "200 OK", List.of("Key-Total: 3"), "");
    }
  }

  private static void respond(OutputStream out, String status, List<String> headers, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    List<String> lines = new ArrayList<>();
    lines.add("HTTP/1.1 " + status);
    lines.addAll(headers);
    lines.add("Content-Length: " + bytes.length);
    lines.add("Connection: close");
    String head = String.join("\r\n", lines) + "\r\n\r\n";
    out.write(head.getBytes(StandardCharsets.ISO_8859_1));
    out.write(bytes);
    out.flush();
  }
}
