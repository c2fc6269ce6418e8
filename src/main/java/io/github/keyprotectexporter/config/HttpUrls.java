package io.github.keyprotectexporter.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;

/** Checks the URLs in the configuration: absolute http or https, with a host and no extras. */
final class HttpUrls {

  private HttpUrls() {}

  /**
   * Reads an absolute http or https URL with a host and without user information, query or
   * fragment, or records an error and returns empty. Warns about plain http to a host other than
   * the loopback interface, because {@code sentSecret} would then travel unencrypted.
   */
  static Optional<URI> read(ConfigNode node, String example, String sentSecret) {
    Optional<String> text = node.text("an http or https URL such as " + example);
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> problem = problemWith(text.get());
    if (problem.isPresent()) {
      node.error(
          Echo.url(text.get())
              + " "
              + problem.get()
              + ". Expected an absolute http or https URL such as "
              + example);
      return Optional.empty();
    }
    URI url = URI.create(text.get());
    if (url.getScheme().equalsIgnoreCase("http") && !isLoopback(url.getHost())) {
      node.warn(
          Echo.url(text.get())
              + " uses plain http, so "
              + sentSecret
              + " travels unencrypted. Use https unless this is a test server");
    }
    return Optional.of(url);
  }

  private static Optional<String> problemWith(String text) {
    String lower = text.toLowerCase(Locale.ROOT);
    if (!lower.startsWith("https://") && !lower.startsWith("http://")) {
      return Optional.of("does not start with https:// or http://");
    }
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      String position = e.getIndex() < 0 ? "" : " at position " + (e.getIndex() + 1);
      return Optional.of("is not a valid URL (" + e.getReason() + position + ")");
    }
    if (url.getRawUserInfo() != null) {
      return Optional.of(
          "contains user information before the host, which would be a"
              + " credential in the configuration. Remove the part up to the @");
    }
    if (url.getHost() == null) {
      return Optional.of("has no valid host name");
    }
    if (url.getPort() == 0 || url.getPort() > 65535) {
      return Optional.of("has port " + url.getPort() + ", which is not between 1 and 65535");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      return Optional.of("contains a query (?) or fragment (#). Remove it");
    }
    return Optional.empty();
  }

  private static boolean isLoopback(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.equals("localhost") || lower.startsWith("127.") || lower.equals("[::1]");
  }
}
