package io.github.keyprotectexporter.simulator;

import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.jetty.http.HttpStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends a step's {@link Fault} in place of, or around, an endpoint's normal response.
 *
 * <pre>{@code
 * FaultResponses.send(ctx, fault, new NormalResponse(JSON, body, Map.of(), true));
 * }</pre>
 */
final class FaultResponses {

  private static final Logger logger = LoggerFactory.getLogger(FaultResponses.class);

  /** The greeting of an SSH server, a typical reply from a port that does not speak HTTP. */
  static final String NOT_HTTP_GREETING = "SSH-2.0-OpenSSH_9.2p1\r\n";

  /** A lead byte that starts a two-byte sequence, followed by a byte that cannot continue it. */
  private static final byte[] INVALID_UTF8 = {(byte) 0xC3, (byte) 0x28};

  private FaultResponses() {}

  /**
   * The response an endpoint sends without a fault.
   *
   * @param headers headers that belong to the normal response, such as {@code Key-Total}
   * @param sendBody false for a response to HEAD
   */
  record NormalResponse(
      String contentType, String body, Map<String, String> headers, boolean sendBody) {

    void send(Context ctx) {
      headers.forEach(ctx::header);
      if (sendBody) {
        ctx.contentType(contentType).result(body);
      }
    }
  }

  /**
   * Sends {@code fault}, whose delay has passed already. A fault of kind HTTP without a status
   * sends {@code normal} with the fault's headers.
   */
  static void send(Context ctx, Fault fault, NormalResponse normal) throws IOException {
    switch (fault.kind()) {
      case HTTP -> sendHttp(ctx, fault, normal);
      case CONNECTION_RESET -> RawConnection.of(ctx).reset();
      case EMPTY_RESPONSE -> RawConnection.of(ctx).close();
      case NOT_HTTP -> writeAndClose(ctx, NOT_HTTP_GREETING.getBytes(StandardCharsets.US_ASCII));
      case MALFORMED_CHUNK -> writeAndClose(ctx, malformedChunk(fault, normal));
      case TRUNCATED -> writeAndClose(ctx, truncated(fault, normal));
      case INVALID_UTF8 -> sendInvalidUtf8(ctx, fault, normal);
    }
  }

  private static void sendHttp(Context ctx, Fault fault, NormalResponse normal) {
    fault.headers().forEach(ctx::header);
    if (fault.replacementStatus().isEmpty()) {
      normal.send(ctx);
      return;
    }
    ctx.status(fault.status());
    if (normal.sendBody()) {
      ctx.contentType(fault.contentType()).result(fault.body());
    }
  }

  private static void sendInvalidUtf8(Context ctx, Fault fault, NormalResponse normal) {
    fault.headers().forEach(ctx::header);
    normal.headers().forEach(ctx::header);
    ctx.status(statusOf(fault));
    if (normal.sendBody()) {
      ctx.contentType(contentTypeOf(fault, normal)).result(withInvalidUtf8(bodyOf(fault, normal)));
    }
  }

  private static void writeAndClose(Context ctx, byte[] response) throws IOException {
    RawConnection connection = RawConnection.of(ctx);
    try {
      connection.write(response);
    } finally {
      connection.close();
    }
    logger.debug("Sent {} raw bytes and closed the connection", response.length);
  }

  /** Renders a chunked response: one valid chunk with the body's first half, then bad bytes. */
  private static byte[] malformedChunk(Fault fault, NormalResponse normal) {
    byte[] body = normal.sendBody() ? bodyOf(fault, normal) : new byte[0];
    int half = body.length / 2;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head(fault, normal, "Transfer-Encoding: chunked"));
    if (half > 0) {
      out.writeBytes(ascii(Integer.toHexString(half) + "\r\n"));
      out.write(body, 0, half);
      out.writeBytes(ascii("\r\n"));
    }
    // "zz" is not a hex chunk size, so a client must reject the rest of the body.
    out.writeBytes(ascii("zz\r\n"));
    return out.toByteArray();
  }

  /** Renders a response whose Content-Length promises the whole body but that has half of it. */
  private static byte[] truncated(Fault fault, NormalResponse normal) {
    byte[] body = bodyOf(fault, normal);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(head(fault, normal, "Content-Length: " + body.length));
    if (normal.sendBody()) {
      out.write(body, 0, body.length / 2);
    }
    return out.toByteArray();
  }

  /** Renders the status line and headers of a raw HTTP/1.1 response, ending in a blank line. */
  private static byte[] head(Fault fault, NormalResponse normal, String framingHeader) {
    int status = statusOf(fault);
    StringBuilder head = new StringBuilder();
    head.append("HTTP/1.1 ").append(status).append(' ').append(HttpStatus.getMessage(status));
    head.append("\r\nContent-Type: ").append(contentTypeOf(fault, normal)).append("\r\n");
    normal.headers().forEach((name, value) -> appendHeader(head, name, value));
    fault.headers().forEach((name, value) -> appendHeader(head, name, value));
    head.append(framingHeader).append("\r\nConnection: close\r\n\r\n");
    return head.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void appendHeader(StringBuilder head, String name, String value) {
    head.append(name).append(": ").append(value).append("\r\n");
  }

  /** Inserts the invalid bytes after the first quote, so they sit inside a JSON string. */
  static byte[] withInvalidUtf8(byte[] body) {
    int quote = 0;
    while (quote < body.length && body[quote] != '"') {
      quote++;
    }
    int at = quote < body.length ? quote + 1 : 0;
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + INVALID_UTF8.length);
    out.write(body, 0, at);
    out.writeBytes(INVALID_UTF8);
    out.write(body, at, body.length - at);
    return out.toByteArray();
  }

  private static int statusOf(Fault fault) {
    return fault.status() == 0 ? HttpStatus.OK_200 : fault.status();
  }

  /** Returns the fault's body, or the normal body when the fault sets none. */
  private static byte[] bodyOf(Fault fault, NormalResponse normal) {
    String body = fault.body().isEmpty() ? normal.body() : fault.body();
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private static String contentTypeOf(Fault fault, NormalResponse normal) {
    return fault.body().isEmpty() ? normal.contentType() : fault.contentType();
  }

  private static byte[] ascii(String text) {
    return text.getBytes(StandardCharsets.US_ASCII);
  }
}
