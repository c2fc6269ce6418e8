package io.github.keyprotectexporter.simulator;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * A failure injected into the crypto-units response, or into the key API response, during one
 * timeline step.
 *
 * <p>With a status, the simulator sends that status, content type and body instead of the normal
 * response (a response to HEAD gets no body). Without one, it sends the normal response, only
 * later. The delay is real time, not
 * scenario time, because it exists to exercise the client's timeouts.
 *
 * @param status the HTTP status to send, or 0 to send the normal response after the delay
 * @param body the response body, empty when not given
 * @param contentType the {@code Content-Type} of the body
 * @param delay how long to wait before responding, zero for no wait
 */
public record Fault(int status, String body, String contentType, Duration delay) {

  public static final String DEFAULT_CONTENT_TYPE = "text/plain; charset=utf-8";

  public Fault {
    body = body == null ? "" : body;
    contentType = contentType == null ? DEFAULT_CONTENT_TYPE : contentType;
    Objects.requireNonNull(delay, "delay");
  }

  /** Returns the status that replaces the normal response, if any. */
  public OptionalInt replacementStatus() {
    return status == 0 ? OptionalInt.empty() : OptionalInt.of(status);
  }
}
