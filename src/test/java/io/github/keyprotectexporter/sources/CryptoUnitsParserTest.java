package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import ch.qos.logback.classic.Level;
import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.model.CryptoUnitState;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CryptoUnitsParserTest {

  private static final String INSTANCE = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String UNIT_A1 = "4d1c2a9e-0b7f-4e61-9c3a-0000000000a1";
  private static final String UNIT_A2 = "4d1c2a9e-0b7f-4e61-9c3a-0000000000a2";

  private final CryptoUnitsParser parser = new CryptoUnitsParser();

  static byte[] fixture(String name) throws IOException {
    try (InputStream in = CryptoUnitsParserTest.class.getResourceAsStream("/api/" + name)) {
      assertThat(in).as("fixture /api/%s", name).isNotNull();
      return in.readAllBytes();
    }
  }

  private PollException parseFailure(String body) {
    return catchThrowableOfType(PollException.class, () -> parser.parse(INSTANCE, body));
  }

  @Nested
  class Shapes {

    @ParameterizedTest
    @ValueSource(
        strings = {
          "cryptounits-bare.json",
          "cryptounits-wrapped.json",
          "cryptounits-collection.json"
        })
    void parsesEveryListShape(String fixture) throws Exception {
      List<CryptoUnit> units = parser.parse(INSTANCE, fixture(fixture));

      assertThat(units)
          .containsExactly(
              new CryptoUnit(UNIT_A1, CryptoUnitState.KMS_INITIALIZED, "kms-initialized"),
              new CryptoUnit(UNIT_A2, CryptoUnitState.MAINTENANCE, "maintenance"));
    }

    @Test
    void parsesEmptyArray() throws Exception {
      assertThat(parser.parse(INSTANCE, "[]")).isEmpty();
      assertThat(parser.parse(INSTANCE, "{\"crypto_units\": []}")).isEmpty();
      assertThat(parser.parse(INSTANCE, "{\"metadata\": {}, \"resources\": []}")).isEmpty();
    }

    @Test
    void ignoresUnknownFields() throws Exception {
      String body =
          """
          {
            "apiVersion": "v9",
            "crypto_units": [
              {"id": "u1", "state": "claimed", "firmware": {"version": "7.1"}, "zone": 3}
            ]
          }
          """;

      assertThat(parser.parse(INSTANCE, body))
          .containsExactly(new CryptoUnit("u1", CryptoUnitState.CLAIMED, "claimed"));
    }

    @Test
    void prefersCryptoUnitsOverResources() throws Exception {
      String body =
          """
          {"crypto_units": [{"id": "u1", "state": "reserved"}], "resources": []}
          """;

      assertThat(parser.parse(INSTANCE, body)).extracting(CryptoUnit::id).containsExactly("u1");
    }
  }

  @Nested
  class States {

    @Test
    void normalisesCaseAndSpaces() throws Exception {
      String body =
          """
          [
            {"id": "u1", "state": "KMS-Initialized"},
            {"id": "u2", "state": "  maintenance\\t"},
            {"id": "u3", "state": "Kms-Authorized "}
          ]
          """;

      assertThat(parser.parse(INSTANCE, body))
          .extracting(CryptoUnit::state)
          .containsExactly(
              CryptoUnitState.KMS_INITIALIZED,
              CryptoUnitState.MAINTENANCE,
              CryptoUnitState.KMS_AUTHORIZED);
    }

    @Test
    void keepsReportedStateAsSent() throws Exception {
      List<CryptoUnit> units =
          parser.parse(INSTANCE, "[{\"id\": \"u1\", \"state\": \" Claimed\"}]");

      assertThat(units.get(0).reportedState()).isEqualTo(" Claimed");
    }

    @Test
    void mapsUnknownStateToUnknown() throws Exception {
      List<CryptoUnit> units =
          parser.parse(INSTANCE, "[{\"id\": \"u1\", \"state\": \"quantum-entangled\"}]");

      assertThat(units.get(0).state()).isEqualTo(CryptoUnitState.UNKNOWN);
      assertThat(units.get(0).reportedState()).isEqualTo("quantum-entangled");
    }

    @Test
    void mapsMissingOrNullStateToUnknown() throws Exception {
      String body =
          """
          [{"id": "u1"}, {"id": "u2", "state": null}, {"id": "u3", "state": ""}]
          """;

      List<CryptoUnit> units = parser.parse(INSTANCE, body);

      assertThat(units).extracting(CryptoUnit::state).containsOnly(CryptoUnitState.UNKNOWN);
      assertThat(units).extracting(CryptoUnit::reportedState).containsExactly(null, null, "");
    }

    @Test
    void mapsNonStringStateToUnknown() throws Exception {
      String body =
          """
          [{"id": "u1", "state": 5}, {"id": "u2", "state": {"name": "claimed"}}]
          """;

      List<CryptoUnit> units = parser.parse(INSTANCE, body);

      assertThat(units).extracting(CryptoUnit::state).containsOnly(CryptoUnitState.UNKNOWN);
      assertThat(units)
          .extracting(CryptoUnit::reportedState)
          .containsExactly("5", "{\"name\":\"claimed\"}");
    }
  }

  @Nested
  class SkippedElements {

    @Test
    void skipsNullElementWithWarning() throws Exception {
      try (CapturedLogs logs = new CapturedLogs()) {
        List<CryptoUnit> units =
            parser.parse(INSTANCE, "[{\"id\": \"u1\"}, null, {\"id\": \"u2\"}]");

        assertThat(units).extracting(CryptoUnit::id).containsExactly("u1", "u2");
        assertThat(logs.messages(Level.WARN))
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains(INSTANCE)
            .contains("index 1")
            .contains("null");
      }
    }

    @Test
    void skipsElementsWithoutUsableId() throws Exception {
      String body =
          """
          [
            {"state": "claimed"},
            {"id": null},
            {"id": 42},
            {"id": "  "},
            "u9",
            {"id": "u1", "state": "claimed"}
          ]
          """;

      try (CapturedLogs logs = new CapturedLogs()) {
        List<CryptoUnit> units = parser.parse(INSTANCE, body);

        assertThat(units).extracting(CryptoUnit::id).containsExactly("u1");
        assertThat(logs.messages(Level.WARN))
            .hasSize(5)
            .allSatisfy(message -> assertThat(message).contains(INSTANCE))
            .anySatisfy(message -> assertThat(message).contains("index 0: id is missing"))
            .anySatisfy(message -> assertThat(message).contains("index 2: id is a number"))
            .anySatisfy(message -> assertThat(message).contains("index 3: id is blank"))
            .anySatisfy(message -> assertThat(message).contains("index 4: element is a string"));
      }
    }

    @Test
    void skipsOverlongId() throws Exception {
      String id = "u".repeat(CryptoUnitsParser.MAX_ID_CHARS + 1);

      assertThat(parser.parse(INSTANCE, "[{\"id\": \"" + id + "\"}]")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "u1\\nCrypto unit appeared",
          "u1\\r",
          "u1\\u0000",
          "\\u001b[2Ju1",
          "u1\\tx",
          "u1\\u2028x",
          "u1\\u202Eevil",
          "u1\\u200Bx",
          "u1\\u0085x"
        })
    void skipsIdWithControlOrFormatCharacter(String jsonId) throws Exception {
      String body = "[{\"id\": \"%s\"}, {\"id\": \"u2\"}]".formatted(jsonId);

      try (CapturedLogs logs = new CapturedLogs()) {
        List<CryptoUnit> units = parser.parse(INSTANCE, body);

        assertThat(units).extracting(CryptoUnit::id).containsExactly("u2");
        assertThat(logs.messages(Level.WARN))
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains("index 0: id \"")
            .contains("contains control or format characters")
            .contains("\\u")
            .matches(message -> !PrintableText.containsUnsafe(message), "has no unsafe character");
      }
    }

    @Test
    void keepsIdWithPrintableUnicode() throws Exception {
      List<CryptoUnit> units = parser.parse(INSTANCE, "[{\"id\": \"unité 1\"}]");

      assertThat(units).extracting(CryptoUnit::id).containsExactly("unité 1");
    }

    @Test
    void countsDuplicateIdOnceFirstWins() throws Exception {
      String body =
          """
          [
            {"id": "u1", "state": "maintenance"},
            {"id": "u2", "state": "claimed"},
            {"id": "u1", "state": "kms-initialized"}
          ]
          """;

      try (CapturedLogs logs = new CapturedLogs()) {
        List<CryptoUnit> units = parser.parse(INSTANCE, body);

        assertThat(units)
            .containsExactly(
                new CryptoUnit("u1", CryptoUnitState.MAINTENANCE, "maintenance"),
                new CryptoUnit("u2", CryptoUnitState.CLAIMED, "claimed"));
        assertThat(logs.messages(Level.WARN))
            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
            .contains(INSTANCE)
            .contains("u1");
      }
    }

    @Test
    void warnsOnlyOnceForRepeatedProblem() throws Exception {
      try (CapturedLogs logs = new CapturedLogs()) {
        parser.parse(INSTANCE, "[null]");
        parser.parse(INSTANCE, "[null]");
        parser.parse("other-instance", "[null]");

        assertThat(logs.messages(Level.WARN)).hasSize(2);
        assertThat(logs.messages(Level.DEBUG)).hasSize(1);
      }
    }
  }

  @Nested
  class BadResponses {

    @Test
    void rejectsHtmlWithExcerpt() {
      String body =
          """
          <html>
            <head><title>502 Bad Gateway</title></head>
            <body>\u0007<center><h1>502 Bad Gateway</h1></center></body>
          </html>
          """;

      PollException failure = parseFailure(body);

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage())
          .contains("not JSON")
          .contains("<html> <head><title>502 Bad Gateway</title></head> <body><center>")
          .doesNotContain("\n")
          .doesNotContain("\u0007");
    }

    @Test
    void rejectsPlainTextWithExcerpt() {
      PollException failure = parseFailure("no healthy upstream");

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("not JSON").contains("\"no healthy upstream\"");
    }

    @Test
    void cutsLongExcerpt() {
      PollException failure = parseFailure("x".repeat(5000));

      assertThat(failure.getMessage()).hasSizeLessThan(200).contains("x".repeat(100) + "...");
    }

    @Test
    void rejectsTruncatedJson() {
      PollException failure = parseFailure("[{\"id\": \"u1\", \"state\": \"claim");

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("invalid or truncated JSON").contains("line 1");
    }

    @Test
    void rejectsTrailingGarbage() {
      PollException failure = parseFailure("[] []");

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("invalid or truncated JSON");
    }

    @Test
    void rejectsObjectOfOtherShape() {
      PollException failure = parseFailure("{\"foo\": 1, \"bar\": [1]}");

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage())
          .isEqualTo(
              "expected a JSON array or an object with crypto_units or resources,"
                  + " got object with keys [foo, bar]");
    }

    @Test
    void rejectsCryptoUnitsThatIsNotArray() {
      PollException failure = parseFailure("{\"crypto_units\": {\"id\": \"u1\"}}");

      assertThat(failure.getMessage()).endsWith("got object whose crypto_units is an object");
    }

    @Test
    void rejectsJsonScalar() {
      assertThat(parseFailure("42").getMessage()).endsWith("got a number");
      assertThat(parseFailure("\"[]\"").getMessage()).endsWith("got a string");
      assertThat(parseFailure("null").getMessage()).endsWith("got null");
    }

    @Test
    void rejectsEmptyBody() {
      PollException failure = parseFailure(" \n");

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("empty");
    }

    @Test
    void rejectsErrorEnvelopeInSuccess() throws Exception {
      PollException failure =
          catchThrowableOfType(
              PollException.class,
              () -> parser.parse(INSTANCE, fixture("error-unauthorized.json")));

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage())
          .contains("Key Protect error")
          .contains("Unauthorized: The user does not have access to the specified resource");
    }

    @Test
    void rejectsMoreUnitsThanMaximum() {
      String body =
          IntStream.rangeClosed(1, 25_000)
              .mapToObj(i -> "{\"id\":\"u%d\",\"state\":\"reserved\"}".formatted(i))
              .collect(Collectors.joining(",", "[", "]"));

      try (CapturedLogs logs = new CapturedLogs()) {
        PollException failure = parseFailure(body);

        assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
        assertThat(failure.getMessage())
            .contains("25000 crypto units")
            .contains("maximum of " + CryptoUnitsParser.MAX_UNITS);
        assertThat(logs.messages(Level.WARN)).isEmpty();
      }
    }

    @Test
    void acceptsMaximumNumberOfUnits() throws Exception {
      String body =
          IntStream.rangeClosed(1, CryptoUnitsParser.MAX_UNITS)
              .mapToObj(i -> "{\"id\": \"u%d\"}".formatted(i))
              .collect(Collectors.joining(",", "{\"crypto_units\": [", "]}"));

      assertThat(parser.parse(INSTANCE, body)).hasSize(CryptoUnitsParser.MAX_UNITS);
    }

    @Test
    void rejectsOversizeBody() {
      byte[] body = new byte[CryptoUnitsParser.MAX_BODY_BYTES + 1];
      Arrays.fill(body, (byte) ' ');
      body[0] = '[';
      body[body.length - 1] = ']';

      PollException failure =
          catchThrowableOfType(PollException.class, () -> parser.parse(INSTANCE, body));

      assertThat(failure.reason()).isEqualTo(PollErrorReason.BAD_RESPONSE);
      assertThat(failure.getMessage()).contains("exceeds");
    }
  }
}
