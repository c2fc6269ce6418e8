package io.github.keyprotectexporter.testing;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;

import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import io.github.keyprotectexporter.sources.CryptoUnitsParser;
import io.github.keyprotectexporter.sources.PollErrorReason;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Broken HTTP responses that a WireMock stub can send, each with the reason that a request
 * meeting it must fail with. {@link #REFUSED} has no stub: the caller aims at a closed port.
 * Delays assume a client timeout of at most {@link #MAX_CLIENT_TIMEOUT_MILLIS}.
 */
public enum HttpFault {
  SLOW(PollErrorReason.TIMEOUT),
  REFUSED(PollErrorReason.NETWORK),
  CONNECTION_RESET(PollErrorReason.NETWORK),
  EMPTY_RESPONSE(PollErrorReason.NETWORK),
  MALFORMED_CHUNK(PollErrorReason.NETWORK),
  RANDOM_DATA_THEN_CLOSE(PollErrorReason.NETWORK),
  STALLED_CHUNKED_BODY(PollErrorReason.TIMEOUT),
  INVALID_UTF8_JSON(PollErrorReason.BAD_RESPONSE),
  HTML_OK(PollErrorReason.BAD_RESPONSE),
  PLAIN_TEXT_OK(PollErrorReason.BAD_RESPONSE),
  OVERSIZE_BODY(PollErrorReason.BAD_RESPONSE),
  OVERSIZE_CHUNKED_BODY(PollErrorReason.BAD_RESPONSE);

  public static final long MAX_CLIENT_TIMEOUT_MILLIS = 1000;
  private static final int DELAY_MILLIS = 4000;

  private final PollErrorReason reason;

  HttpFault(PollErrorReason reason) {
    this.reason = reason;
  }

  /** Returns the reason of a poll or token request that meets this fault. */
  public PollErrorReason reason() {
    return reason;
  }

  /** Returns true for the faults of the connection, which a HEAD request meets too. */
  public boolean hitsHeadRequests() {
    return reason != PollErrorReason.BAD_RESPONSE && this != MALFORMED_CHUNK
        && this != STALLED_CHUNKED_BODY;
  }

  /**
   * Returns a stub response with this fault. {@code validJson} is the body that a healthy server
   * would send, used where the fault is in the timing or the transfer and not in the content.
   */
  public ResponseDefinitionBuilder response(String validJson) {
    return switch (this) {
      case SLOW -> json(validJson).withFixedDelay(DELAY_MILLIS);
      case REFUSED -> throw new IllegalStateException("a refused connection has no stub");
      case CONNECTION_RESET -> aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER);
      case EMPTY_RESPONSE -> aResponse().withFault(Fault.EMPTY_RESPONSE);
      case MALFORMED_CHUNK -> aResponse().withFault(Fault.MALFORMED_RESPONSE_CHUNK);
      case RANDOM_DATA_THEN_CLOSE -> aResponse().withFault(Fault.RANDOM_DATA_THEN_CLOSE);
      // The first of many chunks arrives at once, the rest long after the client gave up.
      case STALLED_CHUNKED_BODY -> json(validJson + " ".repeat(200))
          .withChunkedDribbleDelay(20, DELAY_MILLIS * 2);
      case INVALID_UTF8_JSON -> json(invalidUtf8Json());
      case HTML_OK -> aResponse().withStatus(200).withHeader("Content-Type", "text/html")
          .withBody("<!DOCTYPE html><html><body><h1>Sign in</h1></body></html>");
      case PLAIN_TEXT_OK -> aResponse().withStatus(200).withHeader("Content-Type", "text/plain")
          .withBody("upstream connect error or disconnect/reset before headers");
      case OVERSIZE_BODY -> json(oversizeJson());
      case OVERSIZE_CHUNKED_BODY -> json(oversizeJson()).withChunkedDribbleDelay(4, 10);
    };
  }

  private static ResponseDefinitionBuilder json(String body) {
    return json(body.getBytes(StandardCharsets.UTF_8));
  }

  private static ResponseDefinitionBuilder json(byte[] body) {
    return aResponse().withStatus(200).withHeader("Content-Type", "application/json")
        .withBody(body);
  }

  /** Returns a JSON list whose unit id has bytes that are not UTF-8 (a lone 0xFF and 0xC3). */
  private static byte[] invalidUtf8Json() {
    byte[] head = "[{\"id\": \"u".getBytes(StandardCharsets.UTF_8);
    byte[] tail = "\", \"state\": \"kms-initialized\"}]".getBytes(StandardCharsets.UTF_8);
    byte[] body = Arrays.copyOf(head, head.length + 2 + tail.length);
    body[head.length] = (byte) 0xFF;
    body[head.length + 1] = (byte) 0xC3;
    System.arraycopy(tail, 0, body, head.length + 2, tail.length);
    return body;
  }

  /** Returns a valid JSON list one byte over the 1 MiB cap of every parsed response. */
  private static byte[] oversizeJson() {
    byte[] body = new byte[CryptoUnitsParser.MAX_BODY_BYTES + 1];
    Arrays.fill(body, (byte) ' ');
    body[0] = '[';
    body[body.length - 1] = ']';
    return body;
  }
}
