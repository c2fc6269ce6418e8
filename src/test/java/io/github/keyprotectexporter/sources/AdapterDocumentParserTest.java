package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.keyprotectexporter.model.CryptoUnit;
import io.github.keyprotectexporter.model.CryptoUnitState;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class AdapterDocumentParserTest {

  private static final String SOURCE = "units.json";
  private static final String ID = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";

  private static AdapterDocument parse(String text) throws PollException {
    return AdapterDocumentParser.parse(text, SOURCE);
  }

  private static PollException failureOf(String text) {
    PollException e = catchThrowableOfType(PollException.class, () -> parse(text));
    assertThat(e).as("PollException for:%n%s", text).isNotNull();
    assertThat(e.reason()).isEqualTo(PollErrorReason.BAD_OUTPUT);
    return e;
  }

  @Nested
  class Json {

    @Test
    void readsEveryField() throws Exception {
      AdapterDocument document = parse("""
          {
            "formatVersion": 1,
            "generatedAt": "2026-03-01T13:00:00+01:00",
            "writer": "hsm-adapter 2.1",
            "instances": [
              {"id": "7F3E9B10-5C2D-4A8E-B1F0-00000000BEEF", "units": [
                {"id": "u1", "state": "kms-initialized", "masterKeyCheckValue": "9A3F0C",
                 "location": "dal10"},
                {"id": "u2", "state": "Maintenance"}
              ]},
              {"id": "other", "units": []}
            ]
          }""");

      assertThat(document.generatedAt()).isEqualTo(Instant.parse("2026-03-01T12:00:00Z"));
      assertThat(document.instanceIds()).containsExactly(ID, "other");
      List<CryptoUnit> units = document.units(ID).orElseThrow();
      assertThat(units).containsExactly(
          CryptoUnit.of("u1", "kms-initialized", "9A3F0C", "dal10"),
          CryptoUnit.of("u2", "Maintenance"));
      assertThat(units.get(1).state()).isEqualTo(CryptoUnitState.MAINTENANCE);
      assertThat(document.units("other")).hasValue(List.of());
    }

    @Test
    void tooManyUnitsAreRejected() {
      StringBuilder units = new StringBuilder();
      for (int i = 0; i <= CryptoUnitsParser.MAX_UNITS; i++) {
        units.append(i == 0 ? "" : ",").append("{\"id\": \"u").append(i)
            .append("\", \"state\": \"kms-initialized\"}");
      }

      PollException e = failureOf("""
          {"generatedAt": "2026-03-01T13:00:00Z", "instances": [{"id": "%s", "units": [%s]}]}"""
          .formatted(ID, units));

      assertThat(e.getMessage()).contains("$.instances[0].units: lists 65 crypto units")
          .contains("maximum of 64");
    }

    @Test
    void controlCharacterInUnitIdIsRejected() {
      PollException e = failureOf("""
          {"generatedAt": "2026-03-01T13:00:00Z", "instances": [{"id": "%s", "units": [
            {"id": "new\\nline\\u001b[2J", "state": "kms-initialized"}]}]}""".formatted(ID));

      assertThat(e.getMessage()).contains("$.instances[0].units[0].id")
          .contains("control or format characters").doesNotContain("\n").doesNotContain("\u001b");
    }

    @Test
    void truncatedJsonIsIncomplete() {
      String message = failureOf("""
          {"generatedAt": "2026-03-01T12:00:00Z", "instances": [
            {"id": "a", "units": [{"id": "u1", "state": "kms-initial""").getMessage();

      assertThat(message).startsWith("units.json: line 2, column ")
          .contains("the JSON ends before the document is complete");
    }

    @Test
    void syntaxErrorNamesLineWithoutQuoting() {
      String message = failureOf("""
          {"generatedAt": "2026-03-01T12:00:00Z",
           "instances": [{"id": "a", "units": [{"id": "u1", "masterKeyCheckValue": 9A3F0C}]}]}
          """).getMessage();

      assertThat(message).startsWith("units.json: line 2, column ").endsWith("invalid JSON");
      assertThat(message).doesNotContain("9A3F0C");
    }

    @Test
    void duplicateKeyIsRejected() {
      assertThat(failureOf("""
          {"generatedAt": "2026-03-01T12:00:00Z", "instances": [], "instances": []}""")
          .getMessage()).endsWith("invalid JSON: a key appears twice in one object");
    }

    @Test
    void emptyFileIsNotAnEmptyFleet() {
      assertThat(failureOf(" \n").getMessage())
          .startsWith("units.json: is empty. The writer may not have finished");
    }

    @Test
    void arrayIsRejected() {
      assertThat(failureOf("[]").getMessage())
          .isEqualTo("units.json: $: expected an object with generatedAt and instances,"
              + " found a list");
    }
  }

  @Nested
  class MissingFields {

    @Test
    void generatedAt() {
      assertThat(failureOf("{\"instances\": []}").getMessage())
          .startsWith("units.json: $.generatedAt: missing.");
    }

    @Test
    void instances() {
      assertThat(failureOf("{\"generatedAt\": \"2026-03-01T12:00:00Z\"}").getMessage())
          .isEqualTo("units.json: $.instances: missing. Give a list, which may be empty");
    }

    @Test
    void instanceId() {
      assertThat(failureOf("""
          {"generatedAt": "2026-03-01T12:00:00Z", "instances": [{"units": []}]}""")
          .getMessage())
          .isEqualTo(
              "units.json: $.instances[0].id: missing. Every instance needs the field id");
    }

    @Test
    void units() {
      assertThat(failureOf("""
          {"generatedAt": "2026-03-01T12:00:00Z", "instances": [{"id": "a"}]}""")
          .getMessage())
          .isEqualTo("units.json: $.instances[0].units: missing. Give a list, which may be empty");
    }

    @Test
    void unitState() {
      assertThat(failureOf("""
          {"generatedAt": "2026-03-01T12:00:00Z",
           "instances": [{"id": "a", "units": [{"id": "u1", "state": "reserved"}, {"id": "u2"}]}]}
          """).getMessage())
          .isEqualTo("units.json: $.instances[0].units[1].state: missing. Every unit needs the"
              + " field state");
    }

    @Test
    void unitIdBlank() {
      assertThat(failureOf("""
          {"generatedAt": "2026-03-01T12:00:00Z",
           "instances": [{"id": "a", "units": [{"id": " ", "state": "reserved"}]}]}""")
          .getMessage())
          .isEqualTo(
              "units.json: $.instances[0].units[0].id: empty. Every unit needs the field id");
    }
  }

  @Nested
  class Values {

    @Test
    void numericCheckValueIsRejectedUnshown() {
      String message = failureOf("""
          {"generatedAt": "2026-03-01T12:00:00Z", "instances": [{"id": "a", "units": [
            {"id": "u1", "state": "reserved", "masterKeyCheckValue": 123456}]}]}""")
          .getMessage();

      assertThat(message).isEqualTo("units.json: $.instances[0].units[0].masterKeyCheckValue:"
          + " expected a string, found a number. Put the value in quotes");
    }

    @Test
    void badTimeIsRejected() {
      assertThat(failureOf("""
          {"generatedAt": "2026-03-01 12:00", "instances": []}""").getMessage())
          .startsWith("units.json: $.generatedAt: \"2026-03-01 12:00\" is not an RFC 3339 time");
    }

    @Test
    void otherFormatVersionIsRejected() {
      assertThat(failureOf("""
          {"formatVersion": 2, "generatedAt": "2026-03-01T12:00:00Z", "instances": []}""")
          .getMessage()).startsWith("units.json: $.formatVersion: a number is not a format");
    }

    @Test
    void infiniteFormatVersionIsRejected() {
      assertThat(failureOf("""
          {"formatVersion": 1e400, "generatedAt": "2026-03-01T12:00:00Z", "instances": []}""")
          .getMessage()).startsWith("units.json: $.formatVersion: a number is not a format");
    }

    @Test
    void repeatedUnitIsRejected() {
      assertThat(failureOf("""
          {"generatedAt": "2026-03-01T12:00:00Z", "instances": [{"id": "a", "units": [
            {"id": "u1", "state": "reserved"}, {"id": "u1", "state": "claimed"}]}]}""")
          .getMessage())
          .isEqualTo("units.json: $.instances[0].units[1].id: unit u1 is listed twice in this"
              + " instance. List each unit once");
    }

    @Test
    void repeatedInstanceIsRejected() {
      assertThat(failureOf("""
          {"generatedAt": "2026-03-01T12:00:00Z", "instances": [
            {"id": "a", "units": []}, {"id": "A", "units": []}]}""").getMessage())
          .isEqualTo("units.json: $.instances[1].id: instance A is listed twice. List each"
              + " instance once");
    }
  }

  @Nested
  class Yaml {

    @Test
    void readsDocumentWithEndMarker() throws Exception {
      AdapterDocument document = parse("""
          # Written by the HSM job
          generatedAt: "2026-03-01T12:00:00Z"
          instances:
            - id: %s
              units:
                - id: u1
                  state: kms-initialized
                  masterKeyCheckValue: "0A1B2C"
                - {id: u2, state: kms-initialized, masterKeyCheckValue: "0a1b2c"}
          ...
          """.formatted(ID));

      List<CryptoUnit> units = document.units(ID).orElseThrow();
      assertThat(units).extracting(CryptoUnit::id).containsExactly("u1", "u2");
      assertThat(units.get(0).masterKeyCheckValueHash())
          .isEqualTo(units.get(1).masterKeyCheckValueHash());
    }

    @Test
    void documentCutAtLineEndIsRejected() {
      String message = failureOf("""
          generatedAt: "2026-03-01T12:00:00Z"
          instances:
            - id: a
              units:
                - {id: u1, state: kms-initialized}
          """).getMessage();

      assertThat(message).startsWith("units.json: the YAML document does not end with a line"
          + " \"...\".");
    }

    @Test
    void syntaxErrorNamesLine() {
      String message = failureOf("""
          generatedAt: "2026-03-01T12:00:00Z"
          instances:
            - id: a
             units: []
          ...
          """).getMessage();

      assertThat(message).startsWith("units.json: line 4, column ").contains("invalid YAML");
    }

    @Test
    void unquotedNumberCheckValueIsRejected() {
      String message = failureOf("""
          generatedAt: "2026-03-01T12:00:00Z"
          instances:
            - id: a
              units:
                - {id: u1, state: reserved, masterKeyCheckValue: 123456}
          ...
          """).getMessage();

      assertThat(message).endsWith("expected a string, found a number. Put the value in quotes");
    }
  }
}
