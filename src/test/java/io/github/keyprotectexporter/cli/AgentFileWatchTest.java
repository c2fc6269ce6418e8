package io.github.keyprotectexporter.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.FileSourceConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.http.ListenAddress;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The running agent with an adapter file source, scraped over HTTP. */
class AgentFileWatchTest {

  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  /** A poll interval of an hour, so that only the file watcher can explain a second poll. */
  private static final PollSettings POLL = new PollSettings(Duration.ofHours(1),
      Duration.ofSeconds(10), Duration.ofHours(2), Duration.ZERO, 2);

  @TempDir Path directory;
  private final HttpClient client = HttpClient.newHttpClient();
  private Agent agent;

  @AfterEach
  void stop() {
    if (agent != null) {
      agent.close();
    }
  }

  private String scrape() throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.port() + "/metrics"))
            .header("Accept", "text/plain")
            .build();
    return client.send(request, HttpResponse.BodyHandlers.ofString()).body();
  }

  private static String stateSample(String state) {
    return "keyprotect_crypto_unit_state{crypto_unit_id=\"a1\",instance_id=\"" + INSTANCE
        + "\",state=\"" + state + "\"} 1.0";
  }

  private void replace(Path file, String state) throws IOException {
    Path temporary = directory.resolve(".units.json.new");
    Files.writeString(temporary, """
        {"generatedAt": "%s", "instances": [
          {"id": "%s", "units": [{"id": "a1", "state": "%s"}]}
        ]}
        """.formatted(Instant.now(), INSTANCE, state));
    Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  @Test
  void renamedFileShowsBeforeNextPoll() throws Exception {
    Path file = directory.resolve("units.json");
    replace(file, "kms-initialized");
    InstanceConfig instance = new InstanceConfig(INSTANCE, "", "us-south", false,
        URI.create("http://127.0.0.1:1"), new FileSourceConfig(file, null));
    ExporterConfig config = new ExporterConfig(POLL,
        new IamSettings(URI.create("http://127.0.0.1:1/identity/token"), "UNUSED", null),
        List.of(instance));
    agent = Agent.start(config, null, ListenAddress.parse("127.0.0.1:0"), Clock.systemUTC());
    await().atMost(Duration.ofSeconds(30))
        .until(() -> scrape().contains(stateSample("kms-initialized")));

    replace(file, "maintenance");

    await().atMost(Duration.ofSeconds(30))
        .until(() -> scrape().contains(stateSample("maintenance")));
    assertThat(scrape()).contains("keyprotect_up{instance_id=\"" + INSTANCE + "\"} 1.0");
  }
}
