package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ListenAddressTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        ":9795 | null | 9795",
        "127.0.0.1:9795 | 127.0.0.1 | 9795",
        "localhost:0 | localhost | 0",
        "[::1]:9795 | ::1 | 9795",
        "[::]:65535 | :: | 65535",
        "' 0.0.0.0:80 ' | 0.0.0.0 | 80"
      })
  void parsesPrometheusStyle(String text, String host, int port) {
    ListenAddress address = ListenAddress.parse(text);

    assertThat(address.host()).isEqualTo(host);
    assertThat(address.port()).isEqualTo(port);
  }

  @ParameterizedTest
  @ValueSource(strings = {":9795", "127.0.0.1:9795", "[::1]:9795"})
  void toStringRoundTrips(String text) {
    assertThat(ListenAddress.parse(text).toString()).isEqualTo(text);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "9795 | the port is missing (use :9795",
        "127.0.0.1 | the port is missing (use 127.0.0.1:9795",
        "http://127.0.0.1:9795 | it is a URL; give only the host and port",
        "'' | it is empty",
        "127.0.0.1: | the port '' is not a number",
        "127.0.0.1:http | the port 'http' is not a number",
        "127.0.0.1:65536 | the port 65536 is not between 0 and 65535",
        "127.0.0.1:-1 | the port '-1' is not a number",
        "::1:9795 | an IPv6 address must be enclosed in brackets",
        "[::1 :9795 | must be enclosed in [ and ]",
        "[]:9795 | must be enclosed in [ and ]",
        "[::1] | the port is missing",
        "host/path:9795 | the host 'host/path' is not a host name or IP address"
      })
  void rejectsInvalidAddress(String text, String problem) {
    assertThatThrownBy(() -> ListenAddress.parse(text))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'" + text.strip() + "'")
        .hasMessageContaining(problem)
        .hasMessageContaining("for example :9795");
  }
}
