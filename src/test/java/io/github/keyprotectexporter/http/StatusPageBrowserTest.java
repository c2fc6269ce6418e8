package io.github.keyprotectexporter.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.metrics.ExporterMetrics;
import io.github.keyprotectexporter.metrics.SampleStore;
import io.github.keyprotectexporter.model.CryptoUnitState;
import io.github.keyprotectexporter.polling.SnapshotStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the status page in headless Chromium, so that escaping is checked by a real HTML parser
 * and script engine rather than by string matching.
 */
class StatusPageBrowserTest {

  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  private static final String HOSTILE_INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-0000000000ff";
  private static final String SCRIPT_NAME = "<script>document.title='pwned-by-name'</script>";
  private static final String IMG_UNIT = "<img src=x onerror=\"document.title='pwned-by-unit'\">";

  @TempDir Path temp;

  private WebServer server;

  @BeforeEach
  void startServer() {
    List<InstanceConfig> instances = new ArrayList<>(SampleStore.instances());
    InstanceConfig hostile = SampleStore.instance(HOSTILE_INSTANCE, SCRIPT_NAME, "us-south");
    instances.add(hostile);
    SnapshotStore store = new SnapshotStore(instances);
    SnapshotStore sample = SampleStore.create();
    sample.all().forEach(store::put);
    store.put(SampleStore.success(hostile, Duration.ofSeconds(5), Duration.ofMillis(50),
        List.of(SampleStore.unit(IMG_UNIT, CryptoUnitState.KMS_INITIALIZED,
            "2026-03-01T11:00:00Z"))));
    ExporterMetrics metrics =
        ExporterMetrics.createWithoutJvmMetrics(store, instances, SampleStore.CLOCK);
    server = WebServer.start(ListenAddress.parse("127.0.0.1:0"), metrics.registry(), store,
        SampleStore.CLOCK);
  }

  @AfterEach
  void stopServer() {
    if (server != null) {
      server.close();
    }
  }

  @Test
  void hostileNamesRenderAsTextInBrowser() throws Exception {
    requireChromium();

    String dom = run("--dump-dom", "http://127.0.0.1:" + server.port() + "/");

    assertThat(dom).contains("payments-prod");
    assertThat(dom).contains("&lt;script&gt;document.title='pwned-by-name'&lt;/script&gt;");
    assertThat(dom).contains("&lt;img src=x onerror=");
    assertThat(dom).doesNotContain("pwned-by-name</title>").doesNotContain("pwned-by-unit</title>");
    assertThat(dom).doesNotContain("<img src=\"x\"");
  }

  @Test
  void statusPageRendersScreenshot() throws Exception {
    requireChromium();
    Path screenshot = temp.resolve("status-page.png");

    run("--screenshot=" + screenshot, "--window-size=1400,1000", "--hide-scrollbars",
        "http://127.0.0.1:" + server.port() + "/");

    assertThat(screenshot).exists();
    byte[] png = Files.readAllBytes(screenshot);
    assertThat(png.length).isGreaterThan(10_000);
    assertThat(new String(png, 1, 3, StandardCharsets.US_ASCII)).isEqualTo("PNG");
    Path kept = Path.of("target", "status-page.png");
    Files.copy(screenshot, kept, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private static void requireChromium() {
    if (Files.isExecutable(CHROMIUM)) {
      return;
    }
    if ("true".equals(System.getenv("CI"))) {
      fail("Chromium is missing at " + CHROMIUM + ": install it with apt-get install chromium");
    }
    assumeTrue(false, "Chromium is not installed (apt-get install chromium); skipping");
  }

  /** Runs headless Chromium with flags that keep it off the network, and returns its stdout. */
  private String run(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(CHROMIUM.toString(), "--headless",
        "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--user-data-dir=" + temp.resolve("profile")));
    command.addAll(List.of(arguments));
    Path output = temp.resolve("chromium.out");
    Process process = new ProcessBuilder(command)
        .redirectOutput(output.toFile())
        .redirectError(temp.resolve("chromium.err").toFile())
        .start();
    if (!process.waitFor(2, TimeUnit.MINUTES)) {
      process.descendants().forEach(ProcessHandle::destroyForcibly);
      process.destroyForcibly();
      fail("Chromium did not finish: " + Files.readString(temp.resolve("chromium.err")));
    }
    assertThat(process.exitValue()).as("chromium exit code").isZero();
    return Files.readString(output);
  }
}
