package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.github.keyprotectexporter.model.CryptoUnit;
import java.util.List;
import org.junit.jupiter.api.Test;

class CryptoUnitTableParserTest {

  private static final String SOURCE = "output of kp-units";
  private static final String ID = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final String OTHER = "2b8c4f61-93de-47a0-8e15-00000000c0fe";

  private static List<CryptoUnit> parse(String text) throws PollException {
    return CryptoUnitTableParser.parse(text, ID, SOURCE);
  }

  private static String failureOf(String text) {
    PollException e = catchThrowableOfType(PollException.class, () -> parse(text));
    assertThat(e).as("PollException for:%n%s", text).isNotNull();
    assertThat(e.reason()).isEqualTo(PollErrorReason.BAD_OUTPUT);
    return e.getMessage();
  }

  @Test
  void readsCliOutputWithPreamble() throws Exception {
    List<CryptoUnit> units = parse("""
        Retrieving crypto units for instance %1$s...
        OK
        Id                                     InstanceID                             State
        4d1c2a9e-0b7f-4e61-9c3a-0000000000a1   %1$s   kms-initialized
        4d1c2a9e-0b7f-4e61-9c3a-0000000000a2   %1$s   maintenance
        """.formatted(ID));

    assertThat(units).containsExactly(
        CryptoUnit.of("4d1c2a9e-0b7f-4e61-9c3a-0000000000a1", "kms-initialized"),
        CryptoUnit.of("4d1c2a9e-0b7f-4e61-9c3a-0000000000a2", "maintenance"));
  }

  @Test
  void tooManyUnitsAreRejected() {
    StringBuilder table = new StringBuilder("Id  InstanceID  State\n");
    for (int i = 0; i <= CryptoUnitsParser.MAX_UNITS; i++) {
      table.append("u").append(i).append("  ").append(ID).append("  kms-initialized\n");
    }

    assertThat(failureOf(table.toString())).contains("line 66").contains("maximum of 64");
  }

  @Test
  void bidiCharacterInUnitIdIsRejected() {
    String message = failureOf("Id  InstanceID  State\nu1\u202Eevil  " + ID + "  reserved\n");

    assertThat(message).contains("line 2").contains("control or format characters")
        .doesNotContain("\u202E");
  }

  @Test
  void acceptsOddSpacingAndColumnOrder() throws Exception {
    List<CryptoUnit> units = parse(
        "  state\tID        instanceid  \n"
            + "kms-initialized\tu1 " + ID + "   \n"
            + "\n"
            + "   reserved      u2\t\t" + ID + "\n");

    assertThat(units).containsExactly(
        CryptoUnit.of("u1", "kms-initialized"), CryptoUnit.of("u2", "reserved"));
  }

  @Test
  void ignoresExtraColumnsWithSpaces() throws Exception {
    List<CryptoUnit> units = parse("""
        Id   Description           InstanceID                             State            Location
        u1   primary unit          %1$s   kms-initialized  dal10 rack 3
        u2   spare                 %1$s   maintenance
        """.formatted(ID));

    assertThat(units).containsExactly(
        CryptoUnit.of("u1", "kms-initialized", null, "dal10 rack 3"),
        CryptoUnit.of("u2", "maintenance"));
  }

  @Test
  void readsCheckValueColumn() throws Exception {
    List<CryptoUnit> units = parse("""
        Id  InstanceID  State  MasterKeyCheckValue
        u1  %1$s  kms-initialized  9A3F0C
        u2  %1$s  kms-initialized  E51D77
        """.formatted(ID));

    assertThat(units).extracting(CryptoUnit::masterKeyCheckValue)
        .containsExactly("9A3F0C", "E51D77");
  }

  @Test
  void acceptsWindowsLineEndings() throws Exception {
    List<CryptoUnit> units = parse(
        "OK\r\nId InstanceID State\r\nu1 " + ID + " kms-initialized\r\n\r\n");

    assertThat(units).containsExactly(CryptoUnit.of("u1", "kms-initialized"));
    assertThat(units.get(0).reportedState()).isEqualTo("kms-initialized");
  }

  @Test
  void emptyTableHasNoUnits() throws Exception {
    assertThat(parse("Id   InstanceID   State\n")).isEmpty();
  }

  @Test
  void missingHeaderIsRejected() {
    assertThat(failureOf("\nu1 " + ID + " kms-initialized 9A3F0C\n"))
        .isEqualTo(SOURCE + ": no header line with the columns Id, InstanceID and State among 1"
            + " non-blank lines. Print the table of ibmcloud kp crypto-units with its header, or"
            + " the adapter or API JSON");
  }

  @Test
  void misalignedRowNamesLine() {
    assertThat(failureOf("""
        Id                  InstanceID   State
        u1 %s kms-initialized extra
        """.formatted(ID)))
        .isEqualTo(SOURCE + ": line 2: has 4 fields, and they do not line up with the 3 columns"
            + " of the header. Print one field per column, separated by spaces");
  }

  @Test
  void otherInstancesOnlyIsRejected() {
    assertThat(failureOf("Id InstanceID State\nu1 " + OTHER + " kms-initialized\n"))
        .startsWith(SOURCE + ": the table lists units of other instances only (" + OTHER
            + "), none of " + ID);
  }

  @Test
  void otherInstancesRowsAreSkipped() throws Exception {
    List<CryptoUnit> units = parse("Id InstanceID State\n"
        + "u1 " + OTHER + " kms-initialized\n"
        + "u2 " + ID.toUpperCase() + " claimed\n");

    assertThat(units).containsExactly(CryptoUnit.of("u2", "claimed"));
  }

  @Test
  void repeatedUnitIsRejected() {
    assertThat(failureOf("Id InstanceID State\nu1 " + ID + " claimed\nu1 " + ID + " claimed\n"))
        .isEqualTo(SOURCE + ": line 3: unit u1 is listed twice");
  }
}
