package io.github.keyprotectexporter.sources;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Reads a command's standard output in any of three forms: an adapter document in JSON, a
 * crypto-unit list in one of the Key Protect API's JSON shapes, or the table of {@code ibmcloud kp
 * crypto-units}. The parser detects the form from the first character other than white space and,
 * for a JSON object, from its keys.
 */
final class CommandOutputParser {

  private final CryptoUnitsParser apiParser = new CryptoUnitsParser();

  /**
   * Returns the units of {@code instanceId} in {@code output}.
   *
   * @param staleAfter maximum age of an adapter document, {@code poll.stale_after}
   * @param mask applied to any output that an error message quotes
   * @throws PollException with {@link PollErrorReason#BAD_OUTPUT} when the output is empty, not
   *     UTF-8 text or not readable in any of the forms, and {@link PollErrorReason#STALE_SOURCE}
   *     for an adapter document older than {@code staleAfter}
   */
  List<CryptoUnit> parse(byte[] output, String instanceId, Duration staleAfter, Instant now,
      String sourceName, UnaryOperator<String> mask) throws PollException {
    String text = decode(output, sourceName);
    String content = text.startsWith("\uFEFF") ? text.substring(1) : text;
    if (content.isBlank()) {
      throw badOutput(sourceName, "printed nothing. Expected an adapter document, the Key"
          + " Protect API's JSON or the table of ibmcloud kp crypto-units");
    }
    char first = content.strip().charAt(0);
    if (first != '{' && first != '[') {
      return CryptoUnitTableParser.parse(content, instanceId, sourceName);
    }
    // Syntax errors are reported here, without quoting the output as the API parser would.
    JsonNode root = AdapterDocumentParser.readJson(content, sourceName);
    if (AdapterDocumentParser.looksLikeAdapterDocument(root)) {
      AdapterDocument document = AdapterDocumentParser.fromTree(root, sourceName);
      return AdapterUnits.select(document, instanceId, staleAfter, now, sourceName);
    }
    return parseApiJson(output, instanceId, sourceName, mask);
  }

  private List<CryptoUnit> parseApiJson(byte[] output, String instanceId, String sourceName,
      UnaryOperator<String> mask) throws PollException {
    try {
      return apiParser.parse(instanceId, output, mask);
    } catch (PollException e) {
      throw badOutput(sourceName, e.getMessage().replaceFirst("^response body", "output"));
    }
  }

  /** Decodes strict UTF-8 and rejects NUL, so binary output is reported instead of parsed. */
  private static String decode(byte[] output, String sourceName) throws PollException {
    for (int offset = 0; offset < output.length; offset++) {
      if (output[offset] == 0) {
        throw notText(sourceName, offset, (byte) 0);
      }
    }
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.wrap(output);
    try {
      return decoder.decode(bytes).toString();
    } catch (CharacterCodingException e) {
      int offset = firstInvalidOffset(output);
      throw notText(sourceName, offset, output[offset]);
    }
  }

  private static int firstInvalidOffset(byte[] output) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer bytes = ByteBuffer.wrap(output);
    decoder.decode(bytes, CharBuffer.allocate(output.length), true);
    return Math.min(bytes.position(), output.length - 1);
  }

  private static PollException notText(String sourceName, int offset, byte value) {
    return badOutput(sourceName, "printed binary data, not UTF-8 text (byte 0x"
        + String.format("%02x", value & 0xff) + " at offset " + offset + "). Check that"
        + " source.argv runs the program that prints the crypto units");
  }

  private static PollException badOutput(String sourceName, String message) {
    return new PollException(PollErrorReason.BAD_OUTPUT, sourceName + ": " + message);
  }
}
