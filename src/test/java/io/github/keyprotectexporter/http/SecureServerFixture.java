package io.github.keyprotectexporter.http;

import io.github.keyprotectexporter.config.ConfigException;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.WebConfigLoader;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.metrics.SampleStore;
import io.github.keyprotectexporter.polling.InstanceSnapshot;
import io.github.keyprotectexporter.polling.SnapshotStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/** Starts web servers from web config YAML and sends real HTTPS requests to them. */
final class SecureServerFixture implements AutoCloseable {

  private final Path directory;
  private final List<WebServer> servers = new ArrayList<>();

  SecureServerFixture(Path directory) {
    this.directory = directory;
  }

  /** Starts a server on 127.0.0.1 with the web config, whose paths are relative to the fixture. */
  WebServer start(String webConfigYaml, boolean healthWithoutAuth) throws ConfigException {
    WebSecurity security = WebSecurity.load(
        new WebConfigLoader().parse(webConfigYaml, "web.yml", directory), healthWithoutAuth,
        SampleStore.CLOCK);
    SnapshotStore store = SampleStore.create();
    List<InstanceConfig> instances = store.all().stream().map(InstanceSnapshot::instance).toList();
    ExporterMetrics metrics =
        ExporterMetrics.createWithoutJvmMetrics(store, instances, SampleStore.CLOCK);
    WebServer server = WebServer.start(new ListenAddress("127.0.0.1", 0), security,
        metrics.registry(), store, SampleStore.CLOCK);
    servers.add(server);
    return server;
  }

  static HttpResponse<String> get(SSLContext tls, String url, String... headers)
      throws IOException, InterruptedException {
    return send(tls, null, "GET", url, headers);
  }

  /**
   * Sends a request.
   *
   * @param protocols the TLS versions the client offers, null for the JDK's defaults
   */
  static HttpResponse<String> send(SSLContext tls, String[] protocols, String method, String url,
      String... headers) throws IOException, InterruptedException {
    HttpClient.Builder builder = HttpClient.newBuilder()
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(30));
    if (tls != null) {
      builder.sslContext(tls);
    }
    if (protocols != null) {
      SSLParameters parameters = new SSLParameters();
      parameters.setProtocols(protocols);
      builder.sslParameters(parameters);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url))
        .method(method, HttpRequest.BodyPublishers.noBody());
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    return builder.build().send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  static String basic(String user, String password) {
    String pair = user + ":" + password;
    return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void close() {
    servers.forEach(WebServer::close);
  }
}
