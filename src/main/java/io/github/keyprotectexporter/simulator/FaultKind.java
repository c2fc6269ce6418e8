package io.github.keyprotectexporter.simulator;

import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The way a {@link Fault} breaks a response: with a well-formed HTTP response, or below HTTP, on
 * the connection itself.
 */
public enum FaultKind {
  /** A well-formed response with the fault's status, headers and body, or only a delay. */
  HTTP("http", true),
  /** Closes the connection with a TCP reset (RST) before any byte of the response is sent. */
  CONNECTION_RESET("connection_reset", false),
  /** Closes the connection normally (FIN) before any byte of the response is sent. */
  EMPTY_RESPONSE("empty_response", false),
  /** Sends bytes that are not an HTTP response at all, then closes the connection. */
  NOT_HTTP("not_http", false),
  /**
   * Sends a chunked response whose first chunk is valid and whose next chunk size line is not a
   * hex number, then closes the connection.
   */
  MALFORMED_CHUNK("malformed_chunk", true),
  /**
   * Sends a {@code Content-Length} for the whole body but only its first half, then closes the
   * connection.
   */
  TRUNCATED("truncated", true),
  /** Sends the body with two bytes that are not valid UTF-8 inside its first JSON string. */
  INVALID_UTF8("invalid_utf8", true);

  private final String yamlName;
  private final boolean sendsStatus;

  FaultKind(String yamlName, boolean sendsStatus) {
    this.yamlName = yamlName;
    this.sendsStatus = sendsStatus;
  }

  /** Returns the name used for this kind in scenario files. */
  public String yamlName() {
    return yamlName;
  }

  /** Returns true when the client receives a status line and headers, so those can be set. */
  public boolean sendsStatus() {
    return sendsStatus;
  }

  /** Finds the kind with the given scenario-file name, case-sensitively. */
  public static Optional<FaultKind> fromYamlName(String name) {
    return Arrays.stream(values()).filter(kind -> kind.yamlName.equals(name)).findFirst();
  }

  /** Returns all scenario-file names, for error messages. */
  public static String yamlNames() {
    return Arrays.stream(values()).map(FaultKind::yamlName).collect(Collectors.joining(", "));
  }
}
