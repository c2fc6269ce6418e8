package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.Secret;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.random.RandomGenerator;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Exchanges an API key for IAM access tokens and caches them. Thread-safe: at most one token
 * request is in flight at a time.
 *
 * <ul>
 *   <li>A token is reused until 80% of its lifetime has passed, then refreshed.
 *   <li>If that refresh fails while the token is still valid, the token stays in use and the
 *       failure is logged at WARN. Callers do not wait for a refresh that another thread is making
 *       while the old token is valid.
 *   <li>With no valid token, callers wait for the request. If it fails, the same failure is
 *       returned without a new request until the backoff ends, so that polls of many instances do
 *       not all hit IAM.
 *   <li>Failed requests back off exponentially with jitter: the n-th failure in a row waits a
 *       random time between {@link #MIN_RETRY_DELAY} times 2<sup>n-1</sup> and twice that, at most
 *       {@link #MAX_RETRY_DELAY}. When IAM sends {@code Retry-After}, the wait is at least that
 *       long (cut to {@link RetryAfter#MAX_WAIT}).
 *   <li>{@link #invalidate(Secret)} drops a token the API rejected, so the next call fetches one.
 *       A token fetched that way and rejected again is kept for the rejection delay (5% of its
 *       lifetime, at least {@link #MIN_RETRY_DELAY}), so an API key without access does not cause
 *       a token request per poll.
 * </ul>
 *
 * <p>A failed token request maps to a {@link PollErrorReason} as follows. IAM status 400, 401 or
 * 403 is AUTH, because IAM returns 400 for an API key that does not exist. 429 is RATE_LIMITED, 5xx
 * SERVER_ERROR and any other non-2xx status CLIENT_ERROR. A timeout is TIMEOUT and another
 * transport error NETWORK. A 2xx body is BAD_RESPONSE when its {@code access_token} is missing or
 * has characters outside RFC 6750's {@code b64token} set, or when it states no lifetime of at least
 * {@link IamTokenClient#MIN_LIFETIME}. A stated lifetime over {@link IamTokenClient#MAX_LIFETIME}
 * is cut to that maximum, so the token is refreshed at least daily. Every failure goes through the
 * backoff above, so after a broken response IAM gets no more requests than the backoff allows.
 */
public final class IamTokenProvider {

  /** Minimum wait between two token requests after a failed one. */
  public static final Duration MIN_RETRY_DELAY = Duration.ofSeconds(10);

  /** Maximum wait of the exponential backoff, unless IAM requests a longer one. */
  public static final Duration MAX_RETRY_DELAY = Duration.ofMinutes(5);

  /** The rejection delay is the lifetime divided by this, 5% of it. */
  private static final long REJECTION_DELAY_DIVISOR = 20;
  private static final Logger logger = LoggerFactory.getLogger(IamTokenProvider.class);

  private final IamTokenClient client;
  private final Clock clock;
  private final RandomGenerator random;
  private final ReentrantLock requestLock = new ReentrantLock();
  private final AtomicReference<IamToken> cached = new AtomicReference<>();
  /** Earliest time of the next token request after a failed one; written under the lock. */
  private volatile Instant nextAttempt = Instant.MIN;
  private volatile PollException lastFailure;
  private volatile Instant lastRejection;
  /** Failed token requests since the last successful one; read and written under the lock. */
  private int consecutiveFailures;

  /**
   * Creates a provider that requests tokens from {@code iamUrl} over {@code http}.
   *
   * @param listener receives one {@link ApiRequestListener#IAM_TOKEN} call per token request
   * @throws IllegalArgumentException when {@code iamUrl} is not an http or https URL
   */
  public IamTokenProvider(
      OkHttpClient http, URI iamUrl, Secret apiKey, Clock clock, ApiRequestListener listener) {
    this(http, iamUrl, apiKey, clock, listener, new Random());
  }

  /** Creates a provider whose backoff jitter comes from {@code random}, so tests can fix it. */
  IamTokenProvider(
      OkHttpClient http,
      URI iamUrl,
      Secret apiKey,
      Clock clock,
      ApiRequestListener listener,
      RandomGenerator random) {
    this.client = new IamTokenClient(http, iamUrl, apiKey, listener);
    this.clock = Objects.requireNonNull(clock, "clock");
    this.random = Objects.requireNonNull(random, "random");
  }

  /**
   * Returns a valid token, requesting one when none is cached or the cached one is due.
   *
   * @param instanceId the instance whose poll needs the token, passed to the listener
   * @throws PollException when no valid token is cached and IAM did not issue one
   */
  public Secret token(String instanceId) throws PollException {
    IamToken current = cached.get();
    Instant now = clock.instant();
    if (current != null && current.isFresh(now)) {
      return current.accessToken();
    }
    if (current != null && current.isValid(now)) {
      return refreshOrKeep(instanceId, current, now);
    }
    return fetchWhileNoValidToken(instanceId);
  }

  /**
   * Drops {@code token} after the API rejected it, so that the next {@link #token(String)} call
   * requests a new one, and returns whether the caller should retry with that new token.
   *
   * <p>Returns true without dropping anything when the cache already contains another token, so
   * that polls rejected with the same token cause one refresh only. Returns false and keeps the
   * token when it was itself obtained after an earlier rejection, less than the rejection delay
   * (5% of its lifetime, at least {@link #MIN_RETRY_DELAY}) ago. A new token that is rejected too
   * points at the key's access, and a further token per poll would only add IAM requests.
   */
  public boolean invalidate(Secret token) {
    IamToken current = cached.get();
    if (current == null || current.accessToken() != token) {
      return true;
    }
    Instant now = clock.instant();
    Instant rejectedAt = lastRejection;
    if (rejectedAt != null
        && !current.obtainedAt().isBefore(rejectedAt)
        && now.isBefore(rejectedAt.plus(rejectionDelay(current)))) {
      logger.debug(
          "API rejected an IAM token obtained after the last rejection at {}, so the token is"
              + " kept until the rejection delay has passed",
          rejectedAt);
      return false;
    }
    if (cached.compareAndSet(current, null)) {
      lastRejection = now;
      logger.debug("IAM token invalidated after the API rejected it");
    }
    return true;
  }

  /**
   * Returns {@code text} with the API key, the cached token and anything shaped like a bearer token
   * or a JSON Web Token masked, for text that a server sent back.
   */
  public String mask(String text) {
    IamToken current = cached.get();
    String masked = current == null ? text : current.accessToken().maskIn(text);
    return client.mask(masked);
  }

  private Secret refreshOrKeep(String instanceId, IamToken current, Instant now)
      throws PollException {
    if (now.isBefore(nextAttempt) || !requestLock.tryLock()) {
      return current.accessToken();
    }
    try {
      if (cached.get() != current) {
        // Another thread replaced or invalidated the token meanwhile, so start over (reentrant
        // lock).
        return token(instanceId);
      }
      return refresh(instanceId, current, now);
    } finally {
      requestLock.unlock();
    }
  }

  /** Requests a new token, or keeps {@code current} when the request fails. */
  private Secret refresh(String instanceId, IamToken current, Instant now) {
    try {
      IamToken refreshed = client.fetch(instanceId, now);
      store(refreshed);
      return refreshed.accessToken();
    } catch (PollException e) {
      Duration delay = backOff(e, now);
      logger.warn(
          "instance_id={} IAM token refresh failed, keeping the current token, which expires at {};"
              + " next attempt in {} s: {}",
          instanceId,
          current.expiresAt(),
          delay.toSeconds(),
          e.getMessage());
      return current.accessToken();
    }
  }

  private Secret fetchWhileNoValidToken(String instanceId) throws PollException {
    requestLock.lock();
    try {
      Instant now = clock.instant();
      IamToken current = cached.get();
      if (current != null && current.isValid(now)) {
        return current.accessToken();
      }
      PollException failure = lastFailure;
      if (failure != null && now.isBefore(nextAttempt)) {
        throw repeated(failure);
      }
      try {
        IamToken fetched = client.fetch(instanceId, now);
        store(fetched);
        return fetched.accessToken();
      } catch (PollException e) {
        Duration delay = backOff(e, now);
        logger.debug("instance_id={} IAM token request failed, next attempt in {} ms",
            instanceId, delay.toMillis());
        throw repeated(e);
      }
    } finally {
      requestLock.unlock();
    }
  }

  /**
   * Records a failed token request and sets the time of the next one: exponential backoff with
   * jitter, but no earlier than IAM's {@code Retry-After}. Called under the lock.
   *
   * @return the wait until the next token request
   */
  private Duration backOff(PollException failure, Instant now) {
    consecutiveFailures++;
    lastFailure = failure;
    Duration delay = exponentialDelay(consecutiveFailures);
    Duration requested = failure.retryAfter().orElse(Duration.ZERO);
    if (requested.compareTo(delay) > 0) {
      delay = requested;
    }
    nextAttempt = now.plus(delay);
    return delay;
  }

  /** Returns a random delay between base times 2^(failures-1) and twice that, capped. */
  private Duration exponentialDelay(int failures) {
    int doublings = Math.min(failures - 1, 20);
    Duration base = MIN_RETRY_DELAY.multipliedBy(1L << doublings);
    if (base.compareTo(MAX_RETRY_DELAY) >= 0) {
      return MAX_RETRY_DELAY;
    }
    long jitterMillis = (long) (random.nextDouble() * base.toMillis());
    Duration delay = base.plusMillis(jitterMillis);
    return delay.compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay;
  }

  private void store(IamToken token) {
    cached.set(token);
    lastFailure = null;
    nextAttempt = Instant.MIN;
    consecutiveFailures = 0;
    logger.debug("IAM token obtained, valid for {} s", token.lifetime().toSeconds());
  }

  private static Duration rejectionDelay(IamToken token) {
    Duration share = token.lifetime().dividedBy(REJECTION_DELAY_DIVISOR);
    return share.compareTo(MIN_RETRY_DELAY) > 0 ? share : MIN_RETRY_DELAY;
  }

  // The message stays the same as the first failure's: a suffix such as "3 s ago" would make
  // every poll's error look new to the poll log, which then logs each one instead of counting. The
  // copy carries no Retry-After, because that wait applies to IAM and not to the instance.
  private static PollException repeated(PollException first) {
    return new PollException(first.reason(), first.getMessage(), first);
  }
}
