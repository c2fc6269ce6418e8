package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import okhttp3.Headers;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RetryAfterTest {

  private static final Instant RECEIVED = Instant.parse("2026-12-01T10:00:00Z");

  private static Headers headers(String... namesAndValues) {
    return Headers.of(namesAndValues);
  }

  @Test
  void readsDeltaSeconds() {
    assertThat(RetryAfter.parse(headers("Retry-After", " 7 "), RECEIVED))
        .contains(Duration.ofSeconds(7));
  }

  @Test
  void measuresDateFromDateHeader() {
    Headers headers = headers(
        "Date", "Tue, 01 Dec 2026 09:00:00 GMT",
        "Retry-After", "Tue, 01 Dec 2026 09:00:45 GMT");

    assertThat(RetryAfter.parse(headers, RECEIVED)).contains(Duration.ofSeconds(45));
  }

  @Test
  void measuresDateFromReceiptWithoutDateHeader() {
    Headers headers = headers("Retry-After", "Tue, 01 Dec 2026 10:01:30 GMT");

    assertThat(RetryAfter.parse(headers, RECEIVED)).contains(Duration.ofSeconds(90));
  }

  @Test
  void pastDateIsNoWait() {
    Headers headers = headers("Retry-After", "Tue, 01 Dec 2026 09:59:00 GMT");

    assertThat(RetryAfter.parse(headers, RECEIVED)).contains(Duration.ZERO);
  }

  @ParameterizedTest
  @ValueSource(strings = {"601", "86400", "99999999999999999999999999", "Fri, 31 Dec 9999 "
      + "23:59:59 GMT"})
  void absurdWaitIsCutToMaximum(String value) {
    assertThat(RetryAfter.parse(headers("Retry-After", value), RECEIVED))
        .contains(RetryAfter.MAX_WAIT);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "-5", "1.5", "soon", "7 seconds"})
  void invalidValueIsIgnored(String value) {
    assertThat(RetryAfter.parse(headers("Retry-After", value), RECEIVED)).isEmpty();
  }

  @Test
  void missingHeaderIsEmpty() {
    assertThat(RetryAfter.parse(headers("Date", "Tue, 01 Dec 2026 09:00:00 GMT"), RECEIVED))
        .isEmpty();
  }
}
