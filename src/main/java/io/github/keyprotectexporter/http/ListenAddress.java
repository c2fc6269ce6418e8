package io.github.keyprotectexporter.http;

/**
 * The host and port that the web server listens on, written as Prometheus exporters do: {@code :9795} for every
 * interface, {@code 127.0.0.1:9795}, {@code localhost:9795} or {@code [::1]:9795}. Port 0 picks a
 * free port.
 *
 * @param host the host name or IP address to bind, null for every interface
 * @param port the TCP port, 0 to 65535
 */
public record ListenAddress(String host, int port) {

  private static final String EXPECTED =
      "Expected [host]:port, for example :9795, 127.0.0.1:9795 or [::1]:9795";

  public ListenAddress {
    if (host != null && host.isBlank()) {
      host = null;
    }
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException(
          "Invalid listen port " + port + ": it must be between 0 and 65535.");
    }
  }

  /**
   * Parses a listen address.
   *
   * @throws IllegalArgumentException naming the value and the expected form when it is invalid
   */
  public static ListenAddress parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid(String.valueOf(text), "it is empty");
    }
    String value = text.strip();
    if (value.contains("://")) {
      throw invalid(value, "it is a URL; give only the host and port, without the scheme");
    }
    if (value.startsWith("[") && value.endsWith("]")) {
      throw invalid(value, "the port is missing (use " + value + ":9795, for example)");
    }
    int colon = value.lastIndexOf(':');
    if (colon < 0) {
      boolean onlyPort = value.chars().allMatch(c -> c >= '0' && c <= '9');
      String example = onlyPort ? ":" + value : value + ":9795";
      throw invalid(value, "the port is missing (use " + example + ", for example)");
    }
    String host = parseHost(value, value.substring(0, colon));
    int port = parsePort(value, value.substring(colon + 1));
    return new ListenAddress(host, port);
  }

  /** Returns the address in the form that {@link #parse} reads. */
  @Override
  public String toString() {
    if (host == null) {
      return ":" + port;
    }
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  private static String parseHost(String value, String host) {
    if (host.startsWith("[")) {
      if (!host.endsWith("]") || host.length() < 3) {
        throw invalid(value, "the IPv6 address must be enclosed in [ and ]");
      }
      return host.substring(1, host.length() - 1);
    }
    if (host.contains(":")) {
      throw invalid(value, "an IPv6 address must be enclosed in brackets, as in [::1]:9795");
    }
    boolean invalidCharacter =
        host.contains("]") || host.contains("/") || host.chars().anyMatch(Character::isWhitespace);
    if (invalidCharacter) {
      throw invalid(value, "the host '" + host + "' is not a host name or IP address");
    }
    return host.isEmpty() ? null : host;
  }

  private static int parsePort(String value, String port) {
    if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
      throw invalid(value, "the port '" + port + "' is not a number between 0 and 65535");
    }
    int number = Integer.parseInt(port);
    if (number > 65535) {
      throw invalid(value, "the port " + number + " is not between 0 and 65535");
    }
    return number;
  }

  private static IllegalArgumentException invalid(String value, String problem) {
    return new IllegalArgumentException(
        "Invalid listen address '" + value + "': " + problem + ". " + EXPECTED + ".");
  }
}
