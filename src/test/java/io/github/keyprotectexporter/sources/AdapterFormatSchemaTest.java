package io.github.keyprotectexporter.sources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checks docs/adapter-format.schema.json with a JSON Schema validator, the examples of
 * docs/adapter-format.md against it, and that the schema and the agent's parser accept and reject
 * the same documents.
 */
class AdapterFormatSchemaTest {

  private static final Path SCHEMA = Path.of("docs/adapter-format.schema.json");
  private static final Path DOC = Path.of("docs/adapter-format.md");
  private static final Pattern CODE_BLOCK =
      Pattern.compile("```(json|yaml)\\n(.*?)```", Pattern.DOTALL);

  private static SchemaRegistry registry;
  private static Schema schema;

  @BeforeAll
  static void loadSchema() throws IOException {
    // Meta-schemas come from the validator's jar; nothing is fetched over the network.
    registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12,
        builder -> builder.schemaLoader(loader -> loader.fetchRemoteResources(false)));
    schema = registry.getSchema(Files.readString(SCHEMA), InputFormat.JSON);
  }

  /** Returns the adapter documents among the fenced blocks of the format page. */
  static List<String[]> documentedExamples() throws IOException {
    List<String[]> examples = new ArrayList<>();
    Matcher block = CODE_BLOCK.matcher(Files.readString(DOC));
    while (block.find()) {
      if (block.group(2).contains("generatedAt")) {
        examples.add(new String[] {block.group(1), block.group(2)});
      }
    }
    return examples;
  }

  @Test
  void schemaIsValidDraft202012() throws IOException {
    Schema metaSchema =
        registry.getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));

    List<Error> errors = metaSchema.validate(Files.readString(SCHEMA), InputFormat.JSON);

    assertThat(errors).isEmpty();
  }

  @Test
  void formatPageHasJsonAndYamlExamples() throws IOException {
    assertThat(documentedExamples()).extracting(example -> example[0])
        .contains("json", "yaml");
  }

  @ParameterizedTest
  @MethodSource("documentedExamples")
  void documentedExampleIsValid(String format, String text) throws Exception {
    InputFormat inputFormat = format.equals("json") ? InputFormat.JSON : InputFormat.YAML;

    assertThat(schema.validate(text, inputFormat)).isEmpty();
    assertThat(AdapterDocumentParser.parse(text, "example").instanceIds()).isNotEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      """
      {"generatedAt": "2026-03-01T12:00:00Z", "instances": []}""",
      """
      {"formatVersion": 1.0, "generatedAt": "2026-03-01T12:00:00.250+02:00", "writer": "x",
       "instances": [{"id": "a", "units": [], "note": "extra fields are ignored"}]}""",
      """
      {"generatedAt": "2026-03-01T12:00:00Z", "instances": [{"id": "a", "units": [
        {"id": "u1", "state": "retired", "masterKeyCheckValue": null, "location": null}]}]}""",
  })
  void validDocumentsPassBoth(String document) throws Exception {
    assertThat(schema.validate(document, InputFormat.JSON)).isEmpty();
    AdapterDocumentParser.parse(document, "test");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "{\"instances\": []}",
      "{\"generatedAt\": \"2026-03-01T12:00:00Z\"}",
      "{\"generatedAt\": \"2026-03-01T12:00:00Z\", \"instances\": {}}",
      "{\"generatedAt\": 1772366400, \"instances\": []}",
      "{\"formatVersion\": 2, \"generatedAt\": \"2026-03-01T12:00:00Z\", \"instances\": []}",
      "{\"generatedAt\": \"2026-03-01T12:00:00Z\", \"instances\": [{\"id\": \"a\"}]}",
      "{\"generatedAt\": \"2026-03-01T12:00:00Z\", \"instances\": [{\"units\": []}]}",
      "{\"generatedAt\": \"2026-03-01T12:00:00Z\", \"instances\": [{\"id\": \" \","
          + " \"units\": []}]}",
      "{\"generatedAt\": \"2026-03-01T12:00:00Z\", \"instances\": [{\"id\": \"a\", \"units\":"
          + " [{\"id\": \"u1\"}]}]}",
      "{\"generatedAt\": \"2026-03-01T12:00:00Z\", \"instances\": [{\"id\": \"a\", \"units\":"
          + " [{\"state\": \"reserved\"}]}]}",
      "{\"generatedAt\": \"2026-03-01T12:00:00Z\", \"instances\": [{\"id\": \"a\", \"units\":"
          + " [{\"id\": \"u1\", \"state\": \"reserved\", \"masterKeyCheckValue\": 123456}]}]}",
      "{\"generatedAt\": \"2026-03-01T12:00:00Z\", \"instances\": [{\"id\": \"a\", \"units\":"
          + " [{\"id\": \"u1\", \"state\": \"reserved\", \"location\": 7}]}]}",
      "[]",
  })
  void invalidDocumentsFailBoth(String document) {
    PollException e =
        catchThrowableOfType(PollException.class, () -> AdapterDocumentParser.parse(document, "t"));

    assertThat(schema.validate(document, InputFormat.JSON)).isNotEmpty();
    assertThat(e).as("parser rejects %s", document).isNotNull();
  }
}
