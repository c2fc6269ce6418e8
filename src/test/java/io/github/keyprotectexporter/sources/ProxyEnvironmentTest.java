package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ProxyEnvironmentTest {

  private static String proxyOf(Map<String, String> environment, String target) {
    Proxy proxy = ProxyEnvironment.fromEnvironment(environment).proxyFor(URI.create(target));
    if (proxy.type() == Proxy.Type.DIRECT) {
      return "direct";
    }
    InetSocketAddress address = (InetSocketAddress) proxy.address();
    return address.getHostString() + ":" + address.getPort();
  }

  @Nested
  class Variables {

    @Test
    void httpsTargetUsesHttpsProxy() {
      Map<String, String> environment = Map.of(
          "HTTPS_PROXY", "http://secure.proxy.test:3128", "HTTP_PROXY", "plain.proxy.test:8080");

      assertThat(proxyOf(environment, "https://iam.example.test/identity/token"))
          .isEqualTo("secure.proxy.test:3128");
      assertThat(proxyOf(environment, "http://10.0.0.7:8080/api"))
          .isEqualTo("plain.proxy.test:8080");
    }

    @Test
    void lowercaseWinsOverUppercase() {
      Map<String, String> environment = Map.of(
          "https_proxy", "http://lower.proxy.test:1",
          "HTTPS_PROXY", "http://upper.proxy.test:2");

      assertThat(proxyOf(environment, "https://kp.test")).isEqualTo("lower.proxy.test:1");
    }

    @Test
    void blankLowercaseFallsBackToUppercase() {
      Map<String, String> environment =
          Map.of("http_proxy", " ", "HTTP_PROXY", "http://upper.proxy.test:2");

      assertThat(proxyOf(environment, "http://kp.test")).isEqualTo("upper.proxy.test:2");
    }

    @Test
    void schemeWithoutProxyGoesDirect() {
      Map<String, String> environment = Map.of("HTTPS_PROXY", "http://secure.proxy.test:3128");

      assertThat(proxyOf(environment, "http://kp.test/api")).isEqualTo("direct");
    }

    @Test
    void portDefaultsToEighty() {
      assertThat(proxyOf(Map.of("HTTPS_PROXY", "http://proxy.test"), "https://kp.test"))
          .isEqualTo("proxy.test:80");
    }

    @Test
    void noVariablesIsNone() {
      ProxyEnvironment proxies = ProxyEnvironment.fromEnvironment(Map.of("NO_PROXY", "*"));

      assertThat(proxies.isEmpty()).isTrue();
      assertThat(proxies).isSameAs(ProxyEnvironment.NONE);
    }

    @Test
    void describesHostsWithoutCredentials() {
      ProxyEnvironment proxies = ProxyEnvironment.fromEnvironment(Map.of(
          "HTTPS_PROXY", "http://alice:s3cret-Pa55@proxy.test:3128",
          "no_proxy", ".internal.test,10.0.0.7:8443"));

      String description = proxies.describe();

      assertThat(description).contains("proxy.test:3128").contains("HTTPS_PROXY")
          .contains("with credentials").contains("internal.test,10.0.0.7:8443");
      assertThat(description).doesNotContain("alice").doesNotContain("s3cret");
    }
  }

  @Nested
  class InvalidValues {

    @ParameterizedTest
    @ValueSource(strings = {"socks5://proxy.test:1080", "https://proxy.test:443",
        "http://proxy.test:99999", "http://", "http://proxy.test:3128/some/path"})
    void namesVariableAndFix(String value) {
      IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
          () -> ProxyEnvironment.fromEnvironment(Map.of("HTTPS_PROXY", value)));

      assertThat(e).as(value).isNotNull();
      assertThat(e.getMessage()).contains("HTTPS_PROXY").contains("http://[user:password@]host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://proxy.test:99999", "http://proxy.test:0",
        "http://alice:s3cret-Pa55@proxy.test:70000"})
    void namesPortOutOfRange(String value) {
      IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
          () -> ProxyEnvironment.fromEnvironment(Map.of("HTTPS_PROXY", value)));

      assertThat(e.getMessage()).contains("HTTPS_PROXY").contains("outside 1 to 65535");
      assertThat(e.getMessage()).doesNotContain("host name").doesNotContain("s3cret");
    }

    @Test
    void hidesValueWithCredentials() {
      IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
          () -> ProxyEnvironment.fromEnvironment(
              Map.of("http_proxy", "socks5://alice:s3cret-Pa55@proxy.test:1080")));

      assertThat(e.getMessage()).contains("http_proxy").contains("socks5");
      assertThat(e.getMessage()).doesNotContain("alice").doesNotContain("s3cret");
    }

    @Test
    void rejectsNoProxyPortOutOfRange() {
      IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
          () -> ProxyEnvironment.fromEnvironment(
              Map.of("HTTPS_PROXY", "http://proxy.test:3128", "NO_PROXY", "kp.test:http")));

      assertThat(e.getMessage()).contains("NO_PROXY").contains("kp.test:http").contains("port");
    }

    @Test
    void namesInvalidPortWithoutShowingCredentials() {
      IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
          () -> ProxyEnvironment.fromEnvironment(
              Map.of("HTTP_PROXY", "http://alice:s3cret-Pa55@127.0.0.1:notaport")));

      assertThat(e).isNotNull();
      assertThat(e.getMessage()).contains("HTTP_PROXY").contains("port");
      assertThat(e.getMessage()).doesNotContain("s3cret").doesNotContain("host name");
    }
  }

  @Nested
  class NoProxy {

    @ParameterizedTest(name = "{0} vs {1}:{2} -> {3}")
    @CsvSource({
        "'*', kp.test, 443, true",
        "'example.com', example.com, 443, true",
        "'example.com', api.example.com, 443, true",
        "'.example.com', api.example.com, 443, true",
        "'.example.com', example.com, 443, true",
        "'*.example.com', a.b.example.com, 443, true",
        "'example.com', badexample.com, 443, false",
        "'example.com', example.com.evil.test, 443, false",
        "'EXAMPLE.com.', Api.Example.COM, 443, true",
        "'example.com:8443', example.com, 8443, true",
        "'example.com:8443', example.com, 443, false",
        "'10.0.0.7', 10.0.0.7, 443, true",
        "'0.0.7', 10.0.0.7, 443, false",
        "'10.0.0.7:8080', 10.0.0.7, 8080, true",
        "'10.0.0.7:8080', 10.0.0.7, 80, false",
        "'::1', [::1], 80, true",
        "'[::1]:8080', [::1], 8080, true",
        "'[::1]:8080', [::1], 80, false",
        "'0:0:0:0:0:0:0:1', [::1], 80, true",
        "'localhost', 127.0.0.1, 80, false",
        "'', 127.0.0.1, 80, false",
        "'a.test, b.test ,,c.test', b.test, 80, true",
        "'a.test b.test', b.test, 80, true",
        "'10.0.0.0/8', 10.1.2.3, 443, true",
        "'10.0.0.0/8', 11.0.0.1, 443, false",
        "'10.0.0.0/8', ten.test, 443, false",
        "'10.0.0.0/8', [::1], 443, false",
        "'192.168.1.0/24', 192.168.1.255, 80, true",
        "'192.168.1.0/24', 192.168.2.1, 80, false",
        "'192.168.1.7/32', 192.168.1.7, 80, true",
        "'0.0.0.0/0', 203.0.113.9, 80, true",
        "'fd00::/8', [fd12::1], 443, true",
        "'fd00::/8', [fe80::1], 443, false",
        "'fd00::/8', 10.0.0.1, 443, false",
    })
    void matchesLikeCurl(String noProxy, String host, int port, boolean direct) {
      NoProxyList list = NoProxyList.parse("NO_PROXY", noProxy);

      assertThat(list.matches(host, port)).isEqualTo(direct);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.0.0.0/33", "10.0.0.0/x", "10.0.0.0/", "kp.test/8",
        "10.0.0.0/8:443", "fd00::/129"})
    void rejectsInvalidRange(String entry) {
      IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class,
          () -> NoProxyList.parse("NO_PROXY", "kp.test," + entry));

      assertThat(e).as(entry).isNotNull();
      assertThat(e.getMessage()).contains("NO_PROXY entry \"" + entry + "\"");
      assertThat(e.getMessage()).contains("is not a CIDR range such as 10.0.0.0/8");
    }

    @Test
    void describesRanges() {
      NoProxyList list = NoProxyList.parse("NO_PROXY", "10.1.0.0/16, fd00:0::/8,kp.test");

      assertThat(list).hasToString("10.1.0.0/16,fd00:0:0:0:0:0:0:0/8,kp.test");
    }

    @Test
    void loopbackIsNotImplied() {
      Map<String, String> environment =
          Map.of("HTTP_PROXY", "http://proxy.test:3128", "NO_PROXY", "internal.test");

      assertThat(proxyOf(environment, "http://127.0.0.1:8080/")).isEqualTo("proxy.test:3128");
      assertThat(proxyOf(environment, "http://localhost:8080/")).isEqualTo("proxy.test:3128");
      assertThat(proxyOf(environment, "http://kp.internal.test/")).isEqualTo("direct");
    }

    @Test
    void targetPortDefaultsByScheme() {
      Map<String, String> environment = Map.of("https_proxy", "http://proxy.test:3128",
          "no_proxy", "kp.test:443");

      assertThat(proxyOf(environment, "https://kp.test/")).isEqualTo("direct");
      assertThat(proxyOf(environment, "https://kp.test:8443/")).isEqualTo("proxy.test:3128");
    }
  }
}
