package io.github.keyprotectexporter.polling;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.PollSettings;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.sources.ApiRequestListener;
import io.github.keyprotectexporter.sources.KeyProtectApiSource;
import io.github.keyprotectexporter.testing.HttpFault;
import io.github.keyprotectexporter.testing.MutableClock;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Each HTTP fault, met by the real API source under the real poller, keeps the last good units in
 * the snapshot store until {@code poll.stale_after} and drops them after it.
 */
class PollerFaultTest {

  private static final String ID = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String UNITS_PATH = "/api/v1/cryptounits";
  private static final String UNITS_JSON = """
      [{"id": "u1", "state": "kms-initialized"}, {"id": "u2", "state": "kms-initialized"}]""";
  private static final Duration STALE_AFTER = Duration.ofSeconds(90);
  private static final PollSettings SETTINGS = new PollSettings(Duration.ofSeconds(30),
      Duration.ofMillis(HttpFault.MAX_CLIENT_TIMEOUT_MILLIS), STALE_AFTER, Duration.ZERO, 1);

  @RegisterExtension
  static WireMockExtension server =
      WireMockExtension.newInstance()
          .options(wireMockConfig().bindAddress("127.0.0.1").dynamicPort())
          .build();

  private final MutableClock clock = new MutableClock(Instant.parse("2026-12-01T10:00:00Z"));

  private static String closedPortUrl() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "http://127.0.0.1:" + socket.getLocalPort();
    }
  }

  @ParameterizedTest
  @EnumSource(HttpFault.class)
  void keepsUnitsUntilStaleAfter(HttpFault fault) throws Exception {
    server.stubFor(post(urlPathEqualTo("/identity/token")).willReturn(okJson(
        "{\"access_token\": \"token-1\", \"token_type\": \"Bearer\", \"expires_in\": 3600}")));
    server.stubFor(get(urlPathEqualTo(UNITS_PATH)).willReturn(okJson(UNITS_JSON)));
    // A refused connection needs a closed port, so the faulty polls aim at one.
    String faultyEndpoint = fault == HttpFault.REFUSED ? closedPortUrl() : server.baseUrl();
    InstanceConfig healthy = instance(server.baseUrl());
    InstanceConfig faulty = instance(faultyEndpoint);

    SnapshotStore store = new SnapshotStore(List.of(healthy));
    pollOnce(healthy, store);
    Instant firstPoll = clock.instant();
    if (fault != HttpFault.REFUSED) {
      server.stubFor(get(urlPathEqualTo(UNITS_PATH)).willReturn(fault.response(UNITS_JSON)));
    }

    clock.advance(STALE_AFTER.minusSeconds(30));
    pollOnce(faulty, store);
    Instant failingAt = clock.instant();
    InstanceSnapshot failing = store.get(ID);
    clock.advance(Duration.ofSeconds(30));
    pollOnce(faulty, store);
    InstanceSnapshot stale = store.get(ID);

    assertThat(failing.up()).as(fault.name()).isFalse();
    assertThat(failing.lastError()).as(fault.name()).isEqualTo(fault.reason());
    assertThat(failing.unitsPolledAt()).isEqualTo(firstPoll);
    assertThat(failing.servingUnits(failingAt)).isEqualTo(2);
    assertThat(stale.up()).isFalse();
    assertThat(stale.lastError()).as(fault.name()).isEqualTo(fault.reason());
    assertThat(stale.hasCurrentUnits(clock.instant())).isFalse();
    assertThat(stale.servingUnits(clock.instant())).isZero();
    assertThat(stale.ready(clock.instant())).isFalse();
  }

  private static InstanceConfig instance(String endpoint) {
    return new InstanceConfig(ID, "payments-prod", "us-south", false, URI.create(endpoint));
  }

  /** Polls once through a new poller and source for {@code instance}, sharing {@code store}. */
  private void pollOnce(InstanceConfig instance, SnapshotStore store) throws Exception {
    ExporterConfig config = new ExporterConfig(SETTINGS,
        new IamSettings(URI.create(server.baseUrl() + "/identity/token"), "UNUSED", null),
        List.of(instance));
    KeyProtectApiSource source =
        KeyProtectApiSource.create(config, new Secret("test-api-key"), ApiRequestListener.NONE);
    try (source; Poller poller = new Poller(SETTINGS, config.instances(), source, store,
        PollListener.NONE, clock)) {
      poller.pollAllOnce();
    }
  }
}
