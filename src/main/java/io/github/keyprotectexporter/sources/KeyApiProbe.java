package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Probes the key API of an instance with {@code HEAD {probe endpoint}/api/v2/keys}, the cheapest
 * read-only key operation: it returns only the number of keys, in the {@code Key-Total} header.
 * A 401 drops the IAM token and retries once with a new one, unless the token was itself obtained
 * after a 401 a short while ago ({@link IamTokenProvider#invalidate(Secret)}).
 *
 * <p>A response to HEAD has no body, so a 503 cannot show whether the service mesh found no
 * healthy upstream. Only after a 503 does the probe send {@code GET /api/v2/keys?limit=1} to read
 * that text; a healthy instance costs one HEAD per probe and never returns key metadata.
 *
 * <p>Failures map to reasons as follows:
 *
 * <ul>
 *   <li>503 whose follow-up GET body contains {@code no healthy upstream}: NO_HEALTHY_UPSTREAM
 *   <li>any other 503: UNAVAILABLE
 *   <li>500 and every other 5xx: SERVER_ERROR
 *   <li>401 after that retry, or 403: AUTH
 *   <li>429: RATE_LIMITED, with the {@code Retry-After} wait when the response has one
 *   <li>no complete response within the call timeout: TIMEOUT
 *   <li>another transport error: NETWORK
 *   <li>a failed token request: AUTH, RATE_LIMITED, TIMEOUT or NETWORK as {@link
 *       IamTokenProvider} classifies it, else OTHER
 *   <li>any other non-2xx status, including a redirect (never followed): OTHER
 * </ul>
 */
public final class KeyApiProbe implements KeyProbe {

  static final String KEYS_PATH = "api/v2/keys";
  static final String NO_HEALTHY_UPSTREAM = "no healthy upstream";

  private static final Logger logger = LoggerFactory.getLogger(KeyApiProbe.class);

  private final OkHttpClient http;
  private final IamTokenProvider tokens;
  private final ApiRequestListener listener;

  /**
   * Creates a probe from its collaborators. It never closes {@code http}.
   *
   * @param listener receives one {@link ApiRequestListener#KEY_PROBE} call per request
   */
  public KeyApiProbe(OkHttpClient http, IamTokenProvider tokens, ApiRequestListener listener) {
    this.http = Objects.requireNonNull(http, "http");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  @Override
  public void probe(InstanceConfig instance) throws ProbeException {
    String instanceId = instance.id();
    HttpUrl url = keysUrl(instance);
    Secret token = token(instanceId);
    try (Response response = send(instanceId, "HEAD", url, token)) {
      // A false invalidate means a new token was rejected too, a short while ago.
      if (response.code() != 401 || !tokens.invalidate(token)) {
        check(instanceId, response, url, token);
        return;
      }
    }
    // The token may have been revoked or expired early, so retry once with a new one.
    logger.debug("instance_id={} key API rejected the IAM token with 401, retrying", instanceId);
    Secret freshToken = token(instanceId);
    try (Response response = send(instanceId, "HEAD", url, freshToken)) {
      check(instanceId, response, url, freshToken);
    }
  }

  /** Joins the probe endpoint and the API path, keeping a path prefix. */
  static HttpUrl keysUrl(InstanceConfig instance) throws ProbeException {
    URI endpoint = instance.probe().endpoint();
    HttpUrl base = HttpUrl.parse(endpoint.toString());
    if (base == null) {
      throw new ProbeException(
          ProbeFailureReason.OTHER,
          "probe endpoint "
              + endpoint
              + " of instance "
              + instance.id()
              + " is not an http or https URL; fix probe.endpoint in the config");
    }
    String prefix = base.encodedPath().replaceAll("/+$", "");
    return base.newBuilder()
        .encodedPath(prefix + "/" + KEYS_PATH)
        .username("")
        .password("")
        .query(null)
        .fragment(null)
        .build();
  }

  private Secret token(String instanceId) throws ProbeException {
    try {
      return tokens.token(instanceId);
    } catch (PollException e) {
      ProbeFailureReason reason =
          switch (e.reason()) {
            case AUTH -> ProbeFailureReason.AUTH;
            case RATE_LIMITED -> ProbeFailureReason.RATE_LIMITED;
            case TIMEOUT -> ProbeFailureReason.TIMEOUT;
            case NETWORK -> ProbeFailureReason.NETWORK;
            default -> ProbeFailureReason.OTHER;
          };
      throw new ProbeException(reason, e.getMessage(), e);
    }
  }

  private void check(String instanceId, Response response, HttpUrl url, Secret token)
      throws ProbeException {
    int status = response.code();
    if (response.isSuccessful()) {
      logger.debug("instance_id={} key probe succeeded keyTotal={}", instanceId,
          Excerpt.of(response.header("Key-Total", "(none)"), 20));
      return;
    }
    String failure = "HEAD " + HttpCalls.display(url) + " returned HTTP " + status;
    if (status == 503) {
      throw unavailable(instanceId, url, token, failure);
    }
    if (status >= 500) {
      throw new ProbeException(ProbeFailureReason.SERVER_ERROR, failure);
    }
    if (status == 429) {
      throw new ProbeException(
          ProbeFailureReason.RATE_LIMITED, failure, HttpCalls.retryAfter(response));
    }
    if (status == 401 || status == 403) {
      throw new ProbeException(
          ProbeFailureReason.AUTH,
          failure + " (check that the API key may read the keys of this instance)");
    }
    String location = response.header("Location");
    String hint = location == null ? "" : " (redirects are not followed, Location: "
        + HttpCalls.displayLocation(url, location) + ")";
    throw new ProbeException(ProbeFailureReason.OTHER, failure + hint);
  }

  /**
   * Classifies a 503 by the body of a follow-up GET. A follow-up that fails or returns another
   * status leaves the 503 unexplained, so it counts as UNAVAILABLE.
   */
  private ProbeException unavailable(
      String instanceId, HttpUrl url, Secret token, String failure) throws ProbeException {
    HttpUrl listUrl = url.newBuilder().addQueryParameter("limit", "1").build();
    try (Response response = send(instanceId, "GET", listUrl, token)) {
      if (response.code() != 503) {
        return new ProbeException(
            ProbeFailureReason.UNAVAILABLE,
            failure + " (a follow-up GET to read the error returned HTTP " + response.code() + ")");
      }
      byte[] body = HttpCalls.readUpTo(response.body(), ErrorBodies.MAX_ERROR_BODY_BYTES);
      String description =
          ErrorBodies.describeKeyProtectError(body, text -> tokens.mask(token.maskIn(text)));
      String text = new String(body, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
      ProbeFailureReason reason =
          text.contains(NO_HEALTHY_UPSTREAM)
              ? ProbeFailureReason.NO_HEALTHY_UPSTREAM
              : ProbeFailureReason.UNAVAILABLE;
      return new ProbeException(
          reason, description.isEmpty() ? failure : failure + ": " + description);
    } catch (IOException e) {
      return new ProbeException(
          ProbeFailureReason.UNAVAILABLE,
          failure + " (reading the error body failed: " + e.getClass().getSimpleName() + ")",
          e);
    } catch (ProbeException e) {
      return new ProbeException(
          ProbeFailureReason.UNAVAILABLE,
          failure + " (a follow-up GET to read the error failed: " + e.getMessage() + ")",
          e);
    }
  }

  private Response send(String instanceId, String method, HttpUrl url, Secret token)
      throws ProbeException {
    String requestId = UUID.randomUUID().toString();
    Request request =
        new Request.Builder()
            .url(url)
            .header("Authorization", "Bearer " + token.reveal())
            .header("Bluemix-Instance", instanceId)
            .header("X-Request-ID", requestId)
            .header("Accept", "application/json")
            .method(method, null)
            .build();
    long started = System.nanoTime();
    Response response;
    try {
      response = http.newCall(request).execute();
    } catch (IOException e) {
      listener.requestCompleted(
          instanceId, ApiRequestListener.KEY_PROBE, ApiRequestListener.NO_RESPONSE);
      logger.debug("instance_id={} {} {} failed after durationMs={} requestId={}: {}", instanceId,
          method, HttpCalls.display(url), elapsedMillis(started), requestId, e.toString());
      throw transportFailure(method + " " + HttpCalls.display(url), requestId, e);
    }
    try {
      listener.requestCompleted(
          instanceId, ApiRequestListener.KEY_PROBE, Integer.toString(response.code()));
      logger.debug("instance_id={} {} {} status={} durationMs={} requestId={}", instanceId, method,
          HttpCalls.display(url), response.code(), elapsedMillis(started), requestId);
      return response;
    } catch (RuntimeException e) {
      // A failing listener must not leak the connection that the caller would have closed.
      response.close();
      throw e;
    }
  }

  private static ProbeException transportFailure(String request, String requestId, IOException e) {
    PollException classified =
        HttpCalls.transportFailure(request + " (request id " + requestId + ")", e);
    ProbeFailureReason reason =
        classified.reason() == PollErrorReason.TIMEOUT
            ? ProbeFailureReason.TIMEOUT
            : ProbeFailureReason.NETWORK;
    return new ProbeException(reason, classified.getMessage(), e);
  }

  private static long elapsedMillis(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }
}
