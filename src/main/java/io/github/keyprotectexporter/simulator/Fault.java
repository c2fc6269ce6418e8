package io.github.keyprotectexporter.simulator;

import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A failure injected into the crypto-units response, or into the key API response, during one
 * timeline step.
 *
 * <p>With kind {@link FaultKind#HTTP} and a status, the simulator sends that status, the headers,
 * content type and body instead of the normal response (a response to HEAD gets no body). Without
 * a status, it sends the normal response with the headers, only later. The other kinds break the
 * connection or the body as {@link FaultKind} describes. The delay is real time, not scenario
 * time, because it exists to exercise the client's timeouts, and it comes before any kind.
 *
 * @param status the HTTP status to send, or 0 for the normal one (200)
 * @param body the response body, empty when not given
 * @param contentType the {@code Content-Type} of the body
 * @param delay how long to wait before responding, zero for no wait
 * @param headers response headers to add, by name, in the order given
 * @param kind how the response is broken
 */
public record Fault(
    int status,
    String body,
    String contentType,
    Duration delay,
    Map<String, String> headers,
    FaultKind kind) {

  public static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";

  public Fault {
    body = body == null ? "" : body;
    contentType = contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
    Objects.requireNonNull(delay, "delay");
    // Map.copyOf does not keep the order, and the headers are sent in the order written.
    headers =
        headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    kind = kind == null ? FaultKind.HTTP : kind;
  }

  /** Creates a well-formed HTTP fault without extra headers. */
  public Fault(int status, String body, String contentType, Duration delay) {
    this(status, body, contentType, delay, Map.of(), FaultKind.HTTP);
  }

  /** Returns the status that replaces the normal response of an HTTP fault, if any. */
  public OptionalInt replacementStatus() {
    return status == 0 || kind != FaultKind.HTTP ? OptionalInt.empty() : OptionalInt.of(status);
  }
}
