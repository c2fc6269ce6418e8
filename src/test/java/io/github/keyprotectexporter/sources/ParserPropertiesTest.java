package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.strings;

import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.testing.DocumentMutations;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Every input, however broken, makes each parser return a result or throw a {@link PollException}
 * with the parser's reason, and never another exception.
 */
class ParserPropertiesTest {

  private static final String ID = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final int TRIES = 500;
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final String UNITS = """
      {"crypto_units": [
        {"id": "u1", "instanceId": "7f3e9b10-5c2d-4a8e-b1f0-00000000beef",
         "state": "kms-initialized", "masterKeyCheckValue": "9A3F0C"},
        {"id": "u2", "state": "maintenance", "location": "dal10"}]}""";
  private static final String ADAPTER_DOCUMENT = """
      {"formatVersion": 1, "generatedAt": "2026-03-01T13:00:00+01:00", "writer": "adapter 2.1",
       "instances": [{"id": "7f3e9b10-5c2d-4a8e-b1f0-00000000beef", "units": [
         {"id": "u1", "state": "kms-initialized", "masterKeyCheckValue": "9A3F0C"},
         {"id": "u2", "state": "Maintenance"}]}, {"id": "other", "units": []}]}""";
  private static final String TABLE = """
      Retrieving crypto units for instance %1$s...
      OK
      Id     InstanceID                             State
      u1     %1$s   kms-initialized
      u2     %1$s   maintenance
      """.formatted(ID);
  private static final String TOKEN_RESPONSE = """
      {"access_token": "eyJhbGciOiJIUzI1NiJ9.e30.c2ln", "refresh_token": "not-used",
       "token_type": "Bearer", "expires_in": 3600, "expiration": 1767229200}""";

  private static final OkHttpClient HTTP = HttpCalls.newClient(Duration.ofSeconds(1));
  // Never sends a request: only its response parsing is used.
  private static final IamTokenClient IAM = new IamTokenClient(HTTP,
      URI.create("http://127.0.0.1:9/identity/token"), new Secret("fake-api-key-for-parsing"),
      ApiRequestListener.NONE);

  @AfterAll
  static void shutDownClient() {
    HttpCalls.shutDown(HTTP);
  }

  private static Gen<String> anyText() {
    return Generate.oneOf(
        strings().allPossible().ofLengthBetween(0, 300),
        strings().betweenCodePoints(' ', '~').ofLengthBetween(0, 300),
        DocumentMutations.jsonTrees());
  }

  private static Gen<String> unitLists() {
    return Generate.oneOf(DocumentMutations.jsonTrees(),
        DocumentMutations.mutationsOf(UNITS), DocumentMutations.mutationsOf("[" + UNITS + "]"));
  }

  private static Gen<String> adapterDocuments() {
    return Generate.oneOf(DocumentMutations.jsonTrees(),
        DocumentMutations.mutationsOf(ADAPTER_DOCUMENT),
        DocumentMutations.textMutationsOf(ADAPTER_DOCUMENT));
  }

  private static Gen<String> tables() {
    return Generate.oneOf(strings().allPossible().ofLengthBetween(0, 300),
        DocumentMutations.textMutationsOf(TABLE));
  }

  private static Gen<String> tokenResponses() {
    return Generate.oneOf(DocumentMutations.jsonTrees(),
        DocumentMutations.mutationsOf(TOKEN_RESPONSE));
  }

  @Test
  void cryptoUnitsParserClassifiesAnyText() {
    check(anyText(), PollErrorReason.BAD_RESPONSE, text -> new CryptoUnitsParser().parse(ID, text));
  }

  @Test
  void cryptoUnitsParserClassifiesAnyBytes() {
    check(bodies(), PollErrorReason.BAD_RESPONSE, body -> new CryptoUnitsParser().parse(ID, body));
  }

  @Test
  void cryptoUnitsParserClassifiesMutations() {
    check(unitLists(), PollErrorReason.BAD_RESPONSE,
        text -> new CryptoUnitsParser().parse(ID, text));
  }

  @Test
  void adapterDocumentParserClassifiesAnyText() {
    check(anyText(), PollErrorReason.BAD_OUTPUT,
        text -> AdapterDocumentParser.parse(text, "adapter.json"));
  }

  @Test
  void adapterDocumentParserClassifiesMutations() {
    check(adapterDocuments(), PollErrorReason.BAD_OUTPUT,
        text -> AdapterDocumentParser.parse(text, "adapter.json").units(ID));
  }

  @Test
  void tableParserClassifiesAnyText() {
    check(tables(), PollErrorReason.BAD_OUTPUT,
        text -> CryptoUnitTableParser.parse(text, ID, "ibmcloud"));
  }

  @Test
  void tokenResponseClassifiesAnyBody() {
    check(tokenResponses(), PollErrorReason.BAD_RESPONSE,
        text -> IAM.readToken(ID, text.getBytes(StandardCharsets.UTF_8), NOW));
  }

  @Test
  void tokenResponseClassifiesAnyBytes() {
    check(bodies(), PollErrorReason.BAD_RESPONSE, body -> IAM.readToken(ID, body, NOW));
  }

  private static Gen<byte[]> bodies() {
    return Generate.byteArrays(
        Generate.range(0, 300), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0));
  }

  /** A parse that may throw the checked {@link PollException}. */
  private interface Parse<T> {
    void run(T input) throws PollException;
  }

  /** Runs {@code parse} on {@value #TRIES} generated inputs; a failure names its seed. */
  private static <T> void check(Gen<T> inputs, PollErrorReason reason, Parse<T> parse) {
    qt().withExamples(TRIES).forAll(inputs).checkAssert(input -> {
      try {
        parse.run(input);
      } catch (PollException e) {
        assertThat(e.reason()).isEqualTo(reason);
        assertThat(e.getMessage()).isNotBlank();
      }
    });
  }
}
