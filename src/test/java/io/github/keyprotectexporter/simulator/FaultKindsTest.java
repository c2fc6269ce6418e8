package io.github.keyprotectexporter.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Sends real requests to a simulator whose instances each fail with one fault kind, and reads
 * the raw bytes on the socket to check what a client receives.
 */
class FaultKindsTest {

  private static final String RESET = "3c9a7e52-4b1d-4f08-a6e3-0000000000a1";
  private static final String EMPTY = "3c9a7e52-4b1d-4f08-a6e3-0000000000a2";
  private static final String NOT_HTTP = "3c9a7e52-4b1d-4f08-a6e3-0000000000a3";
  private static final String CHUNK = "3c9a7e52-4b1d-4f08-a6e3-0000000000a4";
  private static final String TRUNCATED = "3c9a7e52-4b1d-4f08-a6e3-0000000000a5";
  private static final String UTF8 = "3c9a7e52-4b1d-4f08-a6e3-0000000000a6";
  private static final String THROTTLED = "3c9a7e52-4b1d-4f08-a6e3-0000000000a7";
  private static final String SLOW = "3c9a7e52-4b1d-4f08-a6e3-0000000000a8";
  private static final String UNIT = "5e2b9d70-6a3c-4c1f-9d84-0000000001a1";

  private static final String SCENARIO =
      """
      name: fault-kinds
      instances:
        - {id: %1$s, region: us-south, timeline: [{duration: 1h,
           units: &units [{id: %9$s, state: kms-initialized}],
           fault: {kind: connection_reset}, key_api_fault: {kind: connection_reset}}]}
        - {id: %2$s, region: us-south, timeline: [{duration: 1h, units: *units,
           fault: {kind: empty_response}}]}
        - {id: %3$s, region: us-south, timeline: [{duration: 1h, units: *units,
           fault: {kind: not_http}}]}
        - {id: %4$s, region: us-south, timeline: [{duration: 1h, units: *units,
           fault: {kind: malformed_chunk, headers: {Retry-After: 3}}}]}
        - {id: %5$s, region: us-south, timeline: [{duration: 1h, units: *units,
           fault: {kind: truncated}, key_api_fault: {kind: truncated}}]}
        - {id: %6$s, region: us-south, timeline: [{duration: 1h, units: *units,
           fault: {kind: invalid_utf8}}]}
        - {id: %7$s, region: us-south, timeline: [{duration: 1h, units: *units,
           fault: {status: 429, body: slow down, headers: {Retry-After: 3}}}]}
        - {id: %8$s, region: us-south, timeline: [{duration: 1h, units: *units,
           fault: {delay: 10ms, headers: {X-Request-ID: slow-1}}}]}
      """;

  private static SimulatorServer server;
  private static String bearer;
  private final HttpClient client =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(30)).build();

  @BeforeAll
  static void startServer() throws Exception {
    String yaml =
        SCENARIO.formatted(RESET, EMPTY, NOT_HTTP, CHUNK, TRUNCATED, UTF8, THROTTLED, SLOW, UNIT);
    server = SimulatorServer.builder(ScenarioLoader.parse(yaml, "fault-kinds.yaml")).build();
    server.start();
    bearer = "Bearer " + requestToken();
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  @Test
  void connectionResetSendsRst() throws IOException {
    try (Socket socket = connect()) {
      sendGet(socket, RESET, "/api/v1/cryptounits");

      assertThatThrownBy(() -> readAll(socket))
          .isInstanceOf(SocketException.class)
          .hasMessageContaining("reset");
    }
  }

  @Test
  void emptyResponseClosesWithoutBytes() throws IOException {
    try (Socket socket = connect()) {
      sendGet(socket, EMPTY, "/api/v1/cryptounits");

      assertThat(readAll(socket)).isEmpty();
    }
  }

  @Test
  void notHttpSendsSshGreeting() throws IOException {
    try (Socket socket = connect()) {
      sendGet(socket, NOT_HTTP, "/api/v1/cryptounits");

      assertThat(new String(readAll(socket), StandardCharsets.US_ASCII))
          .isEqualTo(FaultResponses.NOT_HTTP_GREETING);
    }
  }

  @Test
  void malformedChunkBreaksAfterFirstChunk() throws IOException {
    String response;
    try (Socket socket = connect()) {
      sendGet(socket, CHUNK, "/api/v1/cryptounits");
      response = new String(readAll(socket), StandardCharsets.UTF_8);
    }

    assertThat(response).startsWith("HTTP/1.1 200 OK\r\n");
    assertThat(response).contains("\r\nTransfer-Encoding: chunked\r\n");
    assertThat(response).contains("\r\nRetry-After: 3\r\n");
    assertThat(response).contains("\r\nContent-Type: application/json\r\n");
    assertThat(response).contains("[{\"id\":\"" + UNIT.substring(0, 8));
    assertThat(response).endsWith("\r\nzz\r\n");
  }

  @Test
  void malformedChunkFailsHttpClient() {
    assertThatThrownBy(() -> get(CHUNK, "/api/v1/cryptounits"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void truncatedSendsHalfOfContentLength() throws IOException {
    String response;
    try (Socket socket = connect()) {
      sendGet(socket, TRUNCATED, "/api/v1/cryptounits");
      response = new String(readAll(socket), StandardCharsets.UTF_8);
    }

    String[] headAndBody = response.split("\r\n\r\n", 2);
    int promised = Integer.parseInt(
        headAndBody[0].replaceAll("(?s).*\r\nContent-Length: (\\d+)\r\n.*", "$1"));
    assertThat(headAndBody[0]).startsWith("HTTP/1.1 200 OK\r\n");
    assertThat(headAndBody[1]).hasSize(promised / 2);
    assertThat(headAndBody[1]).startsWith("[{\"id\":");
  }

  @Test
  void truncatedFailsHttpClient() {
    assertThatThrownBy(() -> get(TRUNCATED, "/api/v1/cryptounits"))
        .isInstanceOf(IOException.class);
  }

  @Test
  void invalidUtf8SitsInsideFirstString() throws Exception {
    HttpResponse<byte[]> response = get(UTF8, "/api/v1/cryptounits");

    byte[] body = response.body();
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(new String(body, 0, 3, StandardCharsets.US_ASCII)).isEqualTo("[{\"");
    assertThat(body[3]).isEqualTo((byte) 0xC3);
    assertThat(body[4]).isEqualTo((byte) 0x28);
    assertThatThrownBy(() -> strictUtf8(body)).isInstanceOf(CharacterCodingException.class);
  }

  @Test
  void httpFaultSendsHeaders() throws Exception {
    HttpResponse<byte[]> response = get(THROTTLED, "/api/v1/cryptounits");

    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(response.headers().firstValue("Retry-After")).hasValue("3");
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo("slow down");
  }

  @Test
  void delayFaultAddsHeadersToUnits() throws Exception {
    HttpResponse<byte[]> response = get(SLOW, "/api/v1/cryptounits");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("X-Request-ID")).hasValue("slow-1");
    assertThat(new String(response.body(), StandardCharsets.UTF_8)).contains(UNIT);
  }

  @Test
  void keyApiFaultResetsHead() {
    HttpRequest head = request(RESET, "/api/v2/keys")
        .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();

    assertThatThrownBy(() -> client.send(head, HttpResponse.BodyHandlers.discarding()))
        .isInstanceOf(IOException.class);
  }

  @Test
  void keyApiTruncatedHeadKeepsHeaders() throws IOException {
    String response;
    try (Socket socket = connect()) {
      send(socket, "HEAD", TRUNCATED, "/api/v2/keys");
      response = new String(readAll(socket), StandardCharsets.UTF_8);
    }

    assertThat(response).startsWith("HTTP/1.1 200 OK\r\n");
    assertThat(response).contains("\r\nKey-Total: 0\r\n");
    assertThat(response).endsWith("\r\n\r\n");
  }

  @Test
  void faultsCountRequests() throws IOException {
    long before = server.requestCount(EMPTY);
    try (Socket socket = connect()) {
      sendGet(socket, EMPTY, "/api/v1/cryptounits");
      readAll(socket);
    }

    assertThat(server.requestCount(EMPTY)).isEqualTo(before + 1);
  }

  private static String requestToken() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(server.tokenUrl())
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(
                "grant_type=urn%3Aibm%3Aparams%3Aoauth%3Agrant-type%3Aapikey&apikey=any-key"))
            .build();
    String body = HttpClient.newHttpClient()
        .send(request, HttpResponse.BodyHandlers.ofString()).body();
    return new ObjectMapper().readTree(body).get("access_token").asText();
  }

  private HttpResponse<byte[]> get(String instance, String path)
      throws IOException, InterruptedException {
    return client.send(request(instance, path).GET().build(),
        HttpResponse.BodyHandlers.ofByteArray());
  }

  private static HttpRequest.Builder request(String instance, String path) {
    return HttpRequest.newBuilder(URI.create(server.baseUrl() + path))
        .timeout(Duration.ofSeconds(30))
        .header("Authorization", bearer)
        .header("Bluemix-Instance", instance);
  }

  private static Socket connect() throws IOException {
    Socket socket = new Socket();
    socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 30_000);
    socket.setSoTimeout(30_000);
    return socket;
  }

  private static void sendGet(Socket socket, String instance, String path) throws IOException {
    send(socket, "GET", instance, path);
  }

  private static void send(Socket socket, String method, String instance, String path)
      throws IOException {
    String request = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        + "Authorization: " + bearer + "\r\nBluemix-Instance: " + instance + "\r\n\r\n";
    socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
    socket.getOutputStream().flush();
  }

  /** Reads until the server closes the connection. */
  private static byte[] readAll(Socket socket) throws IOException {
    InputStream in = socket.getInputStream();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    in.transferTo(out);
    return out.toByteArray();
  }

  private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
    return StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .decode(ByteBuffer.wrap(bytes))
        .toString();
  }
}
