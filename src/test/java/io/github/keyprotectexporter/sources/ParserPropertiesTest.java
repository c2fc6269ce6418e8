package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.testing.DocumentMutations;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import okhttp3.OkHttpClient;

/**
 * Every input, however broken, makes each parser return a result or throw a {@link PollException}
 * with the parser's reason, and never another exception.
 */
class ParserPropertiesTest {

  private static final String ID = "7f3e9b10-5c2d-4a8e-b1f0-00000000beef";
  private static final int TRIES = 500;
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

  @AfterContainer
  static void shutDownClient() {
    HttpCalls.shutDown(HTTP);
  }

  @Provide
  Arbitrary<String> anyText() {
    return Arbitraries.oneOf(
        Arbitraries.strings().all().ofMaxLength(300),
        Arbitraries.strings().withCharRange(' ', '~').ofMaxLength(300),
        DocumentMutations.jsonTrees());
  }

  @Provide
  Arbitrary<String> unitLists() {
    return Arbitraries.oneOf(DocumentMutations.jsonTrees(),
        DocumentMutations.mutationsOf(UNITS), DocumentMutations.mutationsOf("[" + UNITS + "]"));
  }

  @Provide
  Arbitrary<String> adapterDocuments() {
    return Arbitraries.oneOf(DocumentMutations.jsonTrees(),
        DocumentMutations.mutationsOf(ADAPTER_DOCUMENT),
        DocumentMutations.textMutationsOf(ADAPTER_DOCUMENT));
  }

  @Provide
  Arbitrary<String> tables() {
    return Arbitraries.oneOf(Arbitraries.strings().all().ofMaxLength(300),
        DocumentMutations.textMutationsOf(TABLE));
  }

  @Provide
  Arbitrary<String> tokenResponses() {
    return Arbitraries.oneOf(DocumentMutations.jsonTrees(),
        DocumentMutations.mutationsOf(TOKEN_RESPONSE));
  }

  @Property(tries = TRIES)
  void cryptoUnitsParserClassifiesAnyText(@ForAll("anyText") String text) {
    assertParsedOrClassified(PollErrorReason.BAD_RESPONSE,
        () -> new CryptoUnitsParser().parse(ID, text));
  }

  @Property(tries = TRIES)
  void cryptoUnitsParserClassifiesAnyBytes(@ForAll byte[] body) {
    assertParsedOrClassified(PollErrorReason.BAD_RESPONSE,
        () -> new CryptoUnitsParser().parse(ID, body));
  }

  @Property(tries = TRIES)
  void cryptoUnitsParserClassifiesMutations(@ForAll("unitLists") String text) {
    assertParsedOrClassified(PollErrorReason.BAD_RESPONSE,
        () -> new CryptoUnitsParser().parse(ID, text));
  }

  @Property(tries = TRIES)
  void adapterDocumentParserClassifiesAnyText(@ForAll("anyText") String text) {
    assertParsedOrClassified(PollErrorReason.BAD_OUTPUT,
        () -> AdapterDocumentParser.parse(text, "adapter.json"));
  }

  @Property(tries = TRIES)
  void adapterDocumentParserClassifiesMutations(@ForAll("adapterDocuments") String text) {
    assertParsedOrClassified(PollErrorReason.BAD_OUTPUT, () -> {
      AdapterDocument document = AdapterDocumentParser.parse(text, "adapter.json");
      document.units(ID);
    });
  }

  @Property(tries = TRIES)
  void tableParserClassifiesAnyText(@ForAll("tables") String text) {
    assertParsedOrClassified(PollErrorReason.BAD_OUTPUT,
        () -> CryptoUnitTableParser.parse(text, ID, "ibmcloud"));
  }

  @Property(tries = TRIES)
  void tokenResponseClassifiesAnyBody(@ForAll("tokenResponses") String text) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertParsedOrClassified(PollErrorReason.BAD_RESPONSE,
        () -> IAM.readToken(ID, text.getBytes(StandardCharsets.UTF_8), now));
  }

  @Property(tries = TRIES)
  void tokenResponseClassifiesAnyBytes(@ForAll byte[] body) {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    assertParsedOrClassified(PollErrorReason.BAD_RESPONSE, () -> IAM.readToken(ID, body, now));
  }

  /** A parse that may throw the checked {@link PollException}. */
  private interface Parse {
    void run() throws PollException;
  }

  private static void assertParsedOrClassified(PollErrorReason reason, Parse parse) {
    try {
      parse.run();
    } catch (PollException e) {
      assertThat(e.reason()).isEqualTo(reason);
      assertThat(e.getMessage()).isNotBlank();
    }
  }
}
