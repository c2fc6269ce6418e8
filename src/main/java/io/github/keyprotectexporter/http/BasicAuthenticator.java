package io.github.keyprotectexporter.http;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.springframework.security.crypto.bcrypt.BCrypt;

/**
 * Checks HTTP basic-auth credentials against bcrypt hashes, with the CPU cost bounded. Each
 * bcrypt check takes tens of milliseconds by design, so:
 *
 * <ul>
 *   <li>Credentials that passed or failed before are looked up in a cache of salted SHA-256
 *       digests, so a scrape every few seconds costs one bcrypt check in all.
 *   <li>At most {@link #MAX_CONCURRENT_CHECKS} bcrypt checks run at once. A request that finds
 *       no free slot within {@link #WAIT_MILLIS} is answered {@link Outcome#BUSY} without one.
 * </ul>
 *
 * <p>Neither the cache nor any message holds a password: the digests are salted with a random
 * value that exists only in this process.
 */
final class BasicAuthenticator {

  /** The result of one check. */
  enum Outcome {
    ACCEPTED,
    /** No {@code Authorization: Basic} header. */
    MISSING,
    /** A wrong user name or password, or a malformed header. */
    REJECTED,
    /** Too many bcrypt checks are running, so the client should retry later. */
    BUSY
  }

  /** Half the processors, so that a flood of wrong passwords leaves CPU for scrapes and polls. */
  static final int MAX_CONCURRENT_CHECKS =
      Math.max(1, Runtime.getRuntime().availableProcessors() / 2);

  static final long WAIT_MILLIS = 250;

  /** Maximum number of accepted credentials cached, far above the users of one agent. */
  static final int ACCEPTED_CACHE_SIZE = 64;

  /**
   * Maximum number of rejected credentials cached. They have their own cache, so that a flood of
   * different wrong passwords cannot push out the credentials of Prometheus.
   */
  static final int REJECTED_CACHE_SIZE = 1024;

  /** The bytes of a password that bcrypt reads. */
  static final int MAX_PASSWORD_BYTES = 72;

  private static final String PREFIX = "basic ";

  private final Map<String, String> hashes;
  private final String decoyHash;
  private final byte[] salt = new byte[32];
  private final Semaphore checks;
  private final Map<String, Boolean> accepted = lruMap(ACCEPTED_CACHE_SIZE);
  private final Map<String, Boolean> rejected = lruMap(REJECTED_CACHE_SIZE);

  /** Creates an authenticator for bcrypt hashes by user name. At least one user is required. */
  BasicAuthenticator(Map<String, String> hashes) {
    this(hashes, new Semaphore(MAX_CONCURRENT_CHECKS));
  }

  /** Creates an authenticator whose bcrypt checks each take a permit of {@code checks}. */
  BasicAuthenticator(Map<String, String> hashes, Semaphore checks) {
    this.checks = checks;
    if (hashes.isEmpty()) {
      throw new IllegalArgumentException("Basic auth needs at least one user");
    }
    this.hashes = Map.copyOf(hashes);
    // An unknown user costs one bcrypt check too, so that response times do not reveal which
    // user names exist.
    this.decoyHash = hashes.values().iterator().next();
    new SecureRandom().nextBytes(salt);
  }

  /** Returns whether a user name is configured, so that callers log only known names. */
  boolean isUser(String user) {
    return hashes.containsKey(user);
  }

  /** Checks an {@code Authorization} header value, null when the request has none. */
  Outcome check(String authorization) throws InterruptedException {
    Credentials credentials = parse(authorization);
    if (credentials == null) {
      return authorization == null ? Outcome.MISSING : Outcome.REJECTED;
    }
    String digest = digest(credentials);
    if (isCached(accepted, digest)) {
      return Outcome.ACCEPTED;
    }
    if (isCached(rejected, digest)) {
      return Outcome.REJECTED;
    }
    if (!checks.tryAcquire(WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
      return Outcome.BUSY;
    }
    boolean valid;
    try {
      valid = verify(credentials);
    } finally {
      checks.release();
    }
    Map<String, Boolean> cache = valid ? accepted : rejected;
    synchronized (cache) {
      cache.put(digest, Boolean.TRUE);
    }
    return valid ? Outcome.ACCEPTED : Outcome.REJECTED;
  }

  /** Returns the user name in a header, or null when it has none. Used to log failed logins. */
  static String userOf(String authorization) {
    Credentials credentials = parse(authorization);
    return credentials == null ? null : credentials.user();
  }

  private static boolean isCached(Map<String, Boolean> cache, String digest) {
    synchronized (cache) {
      return cache.get(digest) != null;
    }
  }

  private boolean verify(Credentials credentials) {
    // bcrypt reads only the first 72 bytes, and BCrypt.checkpw of spring-security-crypto 7.1
    // ignores the rest, so a longer password is rejected instead of matching by its prefix.
    if (credentials.password().getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      return false;
    }
    String hash = hashes.get(credentials.user());
    try {
      boolean matches = BCrypt.checkpw(credentials.password(), hash == null ? decoyHash : hash);
      return matches && hash != null;
    } catch (IllegalArgumentException e) {
      // The hashes were checked at start, so this would be a hash the library cannot read.
      return false;
    }
  }

  private String digest(Credentials credentials) {
    try {
      MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
      sha256.update(salt);
      sha256.update(credentials.user().getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      sha256.update(credentials.password().getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(sha256.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("Every JDK provides SHA-256", e);
    }
  }

  private static Credentials parse(String authorization) {
    if (authorization == null
        || !authorization.toLowerCase(Locale.ROOT).startsWith(PREFIX)) {
      return null;
    }
    String decoded;
    try {
      byte[] bytes = Base64.getDecoder().decode(authorization.substring(PREFIX.length()).strip());
      decoded = new String(bytes, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return null;
    }
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    return new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1));
  }

  private static Map<String, Boolean> lruMap(int maxSize) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
        return size() > maxSize;
      }
    };
  }

  /** A decoded user name and password. Its toString leaves out the password. */
  private record Credentials(String user, String password) {
    @Override
    public String toString() {
      return "Credentials[user=" + user + "]";
    }
  }
}
