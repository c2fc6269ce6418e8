package io.github.keyprotectexporter.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ShardTest {

  /** Instance ids from a fixed seed, so every run splits the same fleet. */
  static List<String> instanceIds(int count) {
    Random random = new Random(20261204L);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
    }
    return ids;
  }

  @Nested
  class Parsing {

    @Test
    void parsesIndexAndCount() {
      Shard shard = Shard.parse("1/3");

      assertThat(shard.index()).isEqualTo(1);
      assertThat(shard.count()).isEqualTo(3);
      assertThat(shard).hasToString("1/3");
    }

    @Test
    void allowsSpacesAroundNumbers() {
      assertThat(Shard.parse(" 2 / 5 ")).isEqualTo(new Shard(2, 5));
    }

    @ParameterizedTest
    @ValueSource(strings = {"x", "", "1", "1/", "/3", "-1/3", "1/3/5", "a/b", "1.5/3"})
    void rejectsMalformedText(String text) {
      assertThatThrownBy(() -> Shard.parse(text))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("is not a shard like 0/3")
          .hasMessageContaining("from 0 to N-1");
    }

    @Test
    void rejectsIndexEqualToCount() {
      assertThatThrownBy(() -> Shard.parse("3/3"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("\"3/3\" is not a valid shard: shard 3 is not between 0 and 2 for 3 shards."
              + " Shards are numbered from 0");
    }

    @Test
    void rejectsZeroShards() {
      assertThatThrownBy(() -> Shard.parse("0/0"))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("\"0/0\" is not a valid shard")
          .hasMessageContaining("number of shards 0 is not between 1 and 1000");
    }

    @Test
    void rejectsTooManyShards() {
      assertThatThrownBy(() -> Shard.parse("0/1001"))
          .hasMessageContaining("number of shards 1001 is not between 1 and 1000");
    }

    @Test
    void rejectsNull() {
      assertThatThrownBy(() -> Shard.parse(null)).hasMessageContaining("is not a shard like 0/3");
    }
  }

  @Nested
  class Assignment {

    /**
     * Pins the hash to values computed outside Java (Python's hashlib: first 8 bytes of SHA-256,
     * big-endian, unsigned, modulo N), so a change of the hash would fail here.
     */
    @ParameterizedTest
    @CsvSource({
      "7f3e9b10-5c2d-4a8e-b1f0-00000000beef, 1, 0, 3, 9",
      "7f3e9b10-5c2d-4a8e-b1f0-0000000000c3, 0, 0, 0, 6",
      "00000000-0000-4000-8000-000000000001, 0, 1, 3, 2"
    })
    void matchesIndependentSha256(String id, int of2, int of3, int of7, int of10) {
      assertThat(Shard.shardOf(id, 2)).isEqualTo(of2);
      assertThat(Shard.shardOf(id, 3)).isEqualTo(of3);
      assertThat(Shard.shardOf(id, 7)).isEqualTo(of7);
      assertThat(Shard.shardOf(id, 10)).isEqualTo(of10);
    }

    @Test
    void ignoresCaseAndSurroundingSpace() {
      for (String id : instanceIds(50)) {
        String variant = "  " + id.toUpperCase(Locale.ROOT) + " ";

        assertThat(Shard.shardOf(variant, 7)).as(id).isEqualTo(Shard.shardOf(id, 7));
      }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 3, 5, 7, 16})
    void shardsAreDisjointAndCoverEveryId(int count) {
      List<String> ids = instanceIds(300);
      Set<String> covered = new HashSet<>();

      for (int index = 0; index < count; index++) {
        Shard shard = new Shard(index, count);
        for (String id : ids) {
          if (shard.owns(id)) {
            assertThat(covered.add(id)).as("%s owned by a second shard", id).isTrue();
          }
        }
      }

      assertThat(covered).containsExactlyInAnyOrderElementsOf(ids);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 3, 5})
    void everyShardGetsAShareOfTheFleet(int count) {
      List<String> ids = instanceIds(300);
      int expected = ids.size() / count;

      for (int index = 0; index < count; index++) {
        Shard shard = new Shard(index, count);
        long owned = ids.stream().filter(shard::owns).count();

        // The ids are fixed, so this is deterministic. A badly skewed hash would fail it.
        assertThat(owned).as("shard %s", shard).isBetween(expected / 2L, expected * 3L / 2);
      }
    }

    @Test
    void selectKeepsConfiguredOrder() {
      List<InstanceConfig> instances = instanceIds(40).stream()
          .map(id -> new InstanceConfig(id, "", "us-south", false, null))
          .toList();
      Shard shard = new Shard(1, 3);

      List<InstanceConfig> selected = shard.select(instances);

      List<InstanceConfig> expected =
          instances.stream().filter(instance -> shard.owns(instance.id())).toList();
      assertThat(selected).isNotEmpty().containsExactlyElementsOf(expected);
    }
  }

  @Nested
  class ConfigKey {

    private static final String INSTANCES = """
        instances:
          - {id: 7f3e9b10-5c2d-4a8e-b1f0-00000000beef, region: us-south}
        """;

    @Test
    void readsShardKey() throws ConfigException {
      ConfigFile loaded = new ConfigLoader().parseWithShard("shard: 1/3\n" + INSTANCES, "c.yml");

      assertThat(loaded.shard()).contains(new Shard(1, 3));
      assertThat(loaded.config().instances()).hasSize(1);
    }

    @Test
    void absentKeyGivesNoShard() throws ConfigException {
      ConfigFile loaded = new ConfigLoader().parseWithShard(INSTANCES, "c.yml");

      assertThat(loaded.shard()).isEqualTo(Optional.empty());
    }

    @Test
    void invalidShardNamesKeyAndValue() {
      assertThatThrownBy(
              () -> new ConfigLoader().parseWithShard("shard: 3/3\n" + INSTANCES, "c.yml"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("c.yml: shard: \"3/3\" is not a valid shard")
          .hasMessageContaining("numbered from 0");
    }

    @Test
    void numberIsNotAShard() {
      assertThatThrownBy(() -> new ConfigLoader().parse("shard: 3\n" + INSTANCES, "c.yml"))
          .isInstanceOf(ConfigException.class)
          .hasMessageContaining("\"3\" is not a shard like 0/3");
    }
  }
}
