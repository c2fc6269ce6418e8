package io.github.keyprotectexporter.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Generators of broken documents for property tests: arbitrary JSON trees, and valid documents
 * with fields dropped, duplicated or given another type, cut short, sprinkled with control
 * characters or given huge numbers.
 */
public final class DocumentMutations {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String[] CONTROL = {"\u0000", "\u0007", "\b", "\u001b[2J", "\r", "\n",
      "\t", "\u007f", "\u0085", "\u2028", "\u202e", "\ufeff", "\ud800"};
  private static final String[] HUGE = {"1e400", "-1e400", "99999999999999999999999999999999",
      "-9223372036854775809", "9223372036854775808", "1" + "0".repeat(2000), "0.000001e-400"};
  private static final String[] KEYS = {"id", "state", "instances", "units", "crypto_units",
      "resources", "generatedAt", "formatVersion", "access_token", "expires_in", "expiration",
      "masterKeyCheckValue", "metadata", "collectionType", ""};

  private DocumentMutations() {}

  /** Returns arbitrary JSON texts of nested arrays, objects and scalars, up to depth 5. */
  public static Gen<String> jsonTrees() {
    return seeded(random -> randomNode(random, 5).toString());
  }

  /** Returns mutations of {@code validJson}: each applies one to three random changes. */
  public static Gen<String> mutationsOf(String validJson) {
    return seeded(random -> mutate(validJson, random));
  }

  /** Returns text mutations of {@code valid}, for documents that are not JSON. */
  public static Gen<String> textMutationsOf(String valid) {
    return seeded(random -> {
      String text = valid;
      int changes = 1 + random.nextInt(3);
      for (int i = 0; i < changes; i++) {
        text = mutateText(text, random);
      }
      return text;
    });
  }

  /**
   * Builds each value from a {@link Random} seeded by the generator, so that a failing example is
   * reproduced by its seed.
   */
  public static Gen<String> seeded(Function<Random, String> build) {
    return Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE)
        .map(seed -> build.apply(new Random(seed)));
  }

  private static String mutate(String validJson, Random random) {
    JsonNode tree;
    try {
      tree = new ObjectMapper().readTree(validJson);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("the valid document is not JSON", e);
    }
    int changes = 1 + random.nextInt(3);
    String text = null;
    for (int i = 0; i < changes; i++) {
      if (text == null && random.nextBoolean()) {
        mutateTree(tree, random);
      } else {
        text = mutateText(text == null ? tree.toString() : text, random);
      }
    }
    return text == null ? tree.toString() : text;
  }

  /** Drops a field, gives a value another type or a huge number, somewhere in the tree. */
  private static void mutateTree(JsonNode root, Random random) {
    List<ObjectNode> objects = new ArrayList<>();
    collectObjects(root, objects);
    if (objects.isEmpty()) {
      return;
    }
    ObjectNode target = objects.get(random.nextInt(objects.size()));
    List<String> names = new ArrayList<>();
    target.fieldNames().forEachRemaining(names::add);
    String name = names.isEmpty()
        ? KEYS[random.nextInt(KEYS.length)]
        : names.get(random.nextInt(names.size()));
    switch (random.nextInt(4)) {
      case 0 -> target.remove(name);
      case 1 -> target.set(name, randomNode(random, 2));
      case 2 -> target.set(name, NODES.numberNode(
          new BigDecimal(new BigInteger(1, randomBytes(random, 40))).scaleByPowerOfTen(
              random.nextInt(700) - 350)));
      default -> target.set(KEYS[random.nextInt(KEYS.length)], randomNode(random, 1));
    }
  }

  /** Cuts the text, injects control characters, duplicates a key or writes a huge number. */
  private static String mutateText(String text, Random random) {
    int at = text.isEmpty() ? 0 : random.nextInt(text.length() + 1);
    return switch (random.nextInt(5)) {
      case 0 -> text.substring(0, at);
      case 1 -> text.substring(0, at) + CONTROL[random.nextInt(CONTROL.length)]
          + text.substring(at);
      case 2 -> duplicateKey(text, random);
      case 3 -> text.substring(0, at) + HUGE[random.nextInt(HUGE.length)] + text.substring(at);
      default -> text.substring(0, at) + text.substring(Math.min(text.length(),
          at + random.nextInt(8)));
    };
  }

  /** Repeats one {@code "key": value} pair right after itself, if the text has one. */
  private static String duplicateKey(String text, Random random) {
    String key = "\"" + KEYS[random.nextInt(KEYS.length - 1)] + "\"";
    int start = text.indexOf(key);
    if (start < 0) {
      return text;
    }
    int end = text.indexOf(',', start);
    if (end < 0) {
      return text;
    }
    return text.substring(0, end + 1) + text.substring(start, end + 1) + text.substring(end + 1);
  }

  private static void collectObjects(JsonNode node, List<ObjectNode> objects) {
    if (node instanceof ObjectNode object) {
      objects.add(object);
    }
    Iterator<JsonNode> children = node.elements();
    while (children.hasNext()) {
      collectObjects(children.next(), objects);
    }
  }

  private static JsonNode randomNode(Random random, int depth) {
    int kind = random.nextInt(depth <= 0 ? 6 : 8);
    return switch (kind) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextLong());
      case 3 -> NODES.numberNode(random.nextDouble() * Math.pow(10, random.nextInt(600) - 300));
      case 4 -> NODES.textNode(randomText(random));
      case 5 -> NODES.textNode(KEYS[random.nextInt(KEYS.length)]);
      case 6 -> {
        ArrayNode array = NODES.arrayNode();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
          array.add(randomNode(random, depth - 1));
        }
        yield array;
      }
      default -> {
        ObjectNode object = NODES.objectNode();
        int size = random.nextInt(5);
        for (int i = 0; i < size; i++) {
          object.set(KEYS[random.nextInt(KEYS.length)], randomNode(random, depth - 1));
        }
        yield object;
      }
    };
  }

  private static String randomText(Random random) {
    StringBuilder text = new StringBuilder();
    int length = random.nextInt(12);
    for (int i = 0; i < length; i++) {
      text.append(random.nextInt(4) == 0
          ? CONTROL[random.nextInt(CONTROL.length)]
          : String.valueOf((char) (0x20 + random.nextInt(0x2000))));
    }
    return text.toString();
  }

  private static byte[] randomBytes(Random random, int maxLength) {
    byte[] bytes = new byte[1 + random.nextInt(maxLength)];
    random.nextBytes(bytes);
    return bytes;
  }
}
