package io.github.keyprotectexporter.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

/**
 * The packaged jar stopping on SIGTERM while a client reads a large {@code /metrics} response
 * slowly. The response is far larger than the socket buffers of both ends, so the agent is still
 * writing it when the signal arrives.
 */
class ShutdownIT {

  /** Instances in the config; with three units each, the exposition is several megabytes. */
  private static final int INSTANCES = 1500;
  private static final int CLIENT_RECEIVE_BUFFER = 4096;
  private static final Duration BOUND = Duration.ofSeconds(90);

  @TempDir Path directory;
  private AgentProcesses processes;
  private Path configFile;

  @BeforeEach
  void setUp(TestInfo test) throws IOException {
    processes = new AgentProcesses(test);
    configFile = directory.resolve("keyprotect-exporter.yml");
    Path unitsFile = directory.resolve("units.json");
    StringBuilder units = new StringBuilder();
    StringBuilder config = new StringBuilder("""
        poll: {interval: 1h, stale_after: 2h}
        instances:
        """);
    for (int i = 0; i < INSTANCES; i++) {
      String id = "7f3e9b10-5c2d-4a8e-b1f0-%012d".formatted(i);
      units.append(i == 0 ? "" : ",\n").append("""
          {"id": "%s", "units": [{"id": "u1", "state": "kms-initialized"},
            {"id": "u2", "state": "maintenance"}, {"id": "u3", "state": "kms-initialized"}]}"""
          .formatted(id));
      config.append("  - {id: %s, region: us-south, source: {type: file, path: \"%s\"}}\n"
          .formatted(id, unitsFile));
    }
    Files.writeString(unitsFile, """
        {"generatedAt": "%s", "instances": [
        %s
        ]}
        """.formatted(Instant.now(), units));
    Files.writeString(configFile, config);
  }

  @AfterEach
  void tearDown() {
    processes.close();
  }

  /**
   * Decodes a chunked HTTP body.
   *
   * @throws AssertionError when the last, empty chunk is missing, because the body was cut off
   */
  /** Returns the complete body, or fails when the framing shows that the response was cut. */
  private static String body(String headers, String rest) {
    Matcher length = Pattern.compile("(?im)^Content-Length: (\\d+)$").matcher(headers);
    if (length.find()) {
      assertThat(rest.length()).as("bytes after the headers").isEqualTo(
          Integer.parseInt(length.group(1)));
      return rest;
    }
    assertThat(headers).containsIgnoringCase("Transfer-Encoding: chunked");
    return dechunk(rest);
  }

  private static String dechunk(String chunked) {
    StringBuilder body = new StringBuilder();
    int position = 0;
    while (true) {
      int lineEnd = chunked.indexOf("\r\n", position);
      assertThat(lineEnd).as("chunk header at byte %d", position).isNotNegative();
      int size = Integer.parseInt(chunked.substring(position, lineEnd).strip(), 16);
      if (size == 0) {
        return body.toString();
      }
      int start = lineEnd + 2;
      assertThat(chunked.length()).as("bytes of the chunk at %d", position)
          .isGreaterThanOrEqualTo(start + size + 2);
      body.append(chunked, start, start + size);
      position = start + size + 2;
    }
  }

  @Test
  void slowScrapeFinishesDuringShutdown() throws Exception {
    AgentProcess agent = processes.start("run", "run", "--config.file=" + configFile,
        "--web.listen-address=127.0.0.1:0");
    int port = agent.webPort();
    await("every instance polled").atMost(BOUND).ignoreExceptions()
        .until(() -> Http.get(port, "/-/ready").status() == 200);

    byte[] response;
    try (Socket socket = new Socket()) {
      // A small receive buffer, set before connecting, keeps the TCP window small.
      socket.setReceiveBufferSize(CLIENT_RECEIVE_BUFFER);
      socket.connect(new InetSocketAddress("127.0.0.1", port));
      socket.getOutputStream().write("""
          GET /metrics HTTP/1.1\r
          Host: 127.0.0.1\r
          Accept: text/plain\r
          \r
          """.getBytes(StandardCharsets.US_ASCII));
      // The response is framed by Content-Length or by chunks, so a truncated body shows. The
      // agent closes the connection once it has sent the whole response.
      InputStream in = socket.getInputStream();
      ByteArrayOutputStream received = new ByteArrayOutputStream();
      received.write(in.readNBytes(1024));

      agent.terminate();
      await("new connections refused").atMost(BOUND).until(() -> !Http.listening(port));
      received.write(in.readAllBytes());
      response = received.toByteArray();
    }

    String text = new String(response, StandardCharsets.ISO_8859_1);
    int headerEnd = text.indexOf("\r\n\r\n");
    assertThat(text).startsWith("HTTP/1.1 200");
    String headers = text.substring(0, headerEnd);
    String body = body(headers, text.substring(headerEnd + 4));
    assertThat(body.length()).as("body larger than any socket buffer").isGreaterThan(8 << 20);
    assertThat(body).endsWith("\n").contains("keyprotect_up{instance_id=\"7f3e9b10-5c2d-4a8e-b1f0-"
        + "%012d\"} 1.0".formatted(INSTANCES - 1));
    assertThat(agent.awaitExit()).as("exit code after SIGTERM").isZero();
    assertThat(agent.stderr()).contains("Stop requested").contains("Agent stopped");
  }
}
