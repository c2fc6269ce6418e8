package io.github.keyprotectexporter.config;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One shard of the configured instances: the agent polls and exports only the instances whose id
 * hashes to {@code index}, out of {@code count} shards numbered from 0.
 *
 * <p>An instance belongs to shard {@code h mod count}, where {@code h} is the first 8 bytes of the
 * SHA-256 of its id in lower case, read as an unsigned big-endian number. The hash depends only on
 * the id, so every replica, JVM and version assigns the same instances to the same shard.
 *
 * @param index the shard this agent serves, from 0 to {@code count - 1}
 * @param count the number of shards, at least 1
 */
public record Shard(int index, int count) {

  /** The single shard that owns every instance, used when no shard is configured. */
  public static final Shard ALL = new Shard(0, 1);

  /** Maximum number of shards, far above any sensible fleet split. */
  public static final int MAX_COUNT = 1000;

  private static final Pattern FORMAT = Pattern.compile("\\s*(\\d{1,9})\\s*/\\s*(\\d{1,9})\\s*");

  public Shard {
    if (count < 1 || count > MAX_COUNT) {
      throw new IllegalArgumentException(
          "the number of shards " + count + " is not between 1 and " + MAX_COUNT);
    }
    if (index < 0 || index >= count) {
      throw new IllegalArgumentException(
          "shard " + index + " is not between 0 and " + (count - 1) + " for " + count
              + " shards. Shards are numbered from 0");
    }
  }

  /**
   * Parses {@code I/N}, such as {@code 0/3} for the first of three shards.
   *
   * @throws IllegalArgumentException with a message that names the value and the valid range
   */
  public static Shard parse(String text) {
    Matcher matcher = FORMAT.matcher(text == null ? "" : text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          Echo.quote(String.valueOf(text)) + " is not a shard like 0/3. Write I/N, where N is the"
              + " number of shards and I this agent's shard, from 0 to N-1");
    }
    int index = Integer.parseInt(matcher.group(1));
    int count = Integer.parseInt(matcher.group(2));
    try {
      return new Shard(index, count);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          Echo.quote(text.strip()) + " is not a valid shard: " + e.getMessage(), e);
    }
  }

  /** Returns the shard, from 0 to {@code count - 1}, that owns the instance id. */
  public static int shardOf(String instanceId, int count) {
    byte[] digest = sha256(instanceId.strip().toLowerCase(Locale.ROOT));
    long hash = ByteBuffer.wrap(digest, 0, Long.BYTES).getLong();
    return (int) Long.remainderUnsigned(hash, count);
  }

  /** Returns true when this shard owns the instance id. */
  public boolean owns(String instanceId) {
    return count == 1 || shardOf(instanceId, count) == index;
  }

  /** Returns the instances this shard owns, in their configured order. */
  public List<InstanceConfig> select(List<InstanceConfig> instances) {
    return instances.stream().filter(instance -> owns(instance.id())).toList();
  }

  /** Returns {@code config} with only the instances this shard owns. */
  public ExporterConfig select(ExporterConfig config) {
    return new ExporterConfig(config.poll(), config.iam(), select(config.instances()));
  }

  /** Returns {@code I/N}, the form {@link #parse} reads. */
  @Override
  public String toString() {
    return index + "/" + count;
  }

  private static byte[] sha256(String text) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      // The MessageDigest documentation of Java 17 requires every Java runtime to support SHA-256.
      throw new IllegalStateException("SHA-256 is not available", e);
    }
  }
}
