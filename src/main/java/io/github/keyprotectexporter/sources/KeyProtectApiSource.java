package io.github.keyprotectexporter.sources;

import io.github.keyprotectexporter.config.ExporterConfig;
import io.github.keyprotectexporter.config.InstanceConfig;
import io.github.keyprotectexporter.config.Secret;
import io.github.keyprotectexporter.model.CryptoUnit;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
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
 * Reads crypto units from the Key Protect API: {@code GET {endpoint}/api/v1/cryptounits} with an
 * IAM bearer token. A 401 drops the token and retries once with a new one, unless the token was
 * itself obtained after a 401 a short while ago ({@link IamTokenProvider#invalidate(Secret)}).
 *
 * <p>Failures map to reasons as follows:
 *
 * <ul>
 *   <li>401 after that retry, or 403: AUTH
 *   <li>429: RATE_LIMITED
 *   <li>5xx: SERVER_ERROR
 *   <li>any other non-2xx status, including a redirect (never followed): CLIENT_ERROR
 *   <li>no complete response within the call timeout: TIMEOUT
 *   <li>another transport error: NETWORK
 *   <li>a 2xx body that is not a crypto-unit list, is larger than {@link
 *       CryptoUnitsParser#MAX_BODY_BYTES} or lists more than {@link CryptoUnitsParser#MAX_UNITS}
 *       units: BAD_RESPONSE
 *   <li>a failed token request: as {@link IamTokenProvider} documents
 * </ul>
 *
 * <p>Each call makes one attempt. A 429 or a 5xx other than 501 is marked retryable, with the
 * {@code Retry-After} wait when the response has one, and the poller decides on retries. Token
 * failures are never retryable here, because {@link IamTokenProvider} backs them off itself.
 *
 * <p>One poll may send up to four requests (token, list, token, list), each limited by the client's
 * call timeout.
 */
public final class KeyProtectApiSource implements CryptoUnitSource {

  static final String CRYPTO_UNITS_PATH = "api/v1/cryptounits";

  private static final Logger logger = LoggerFactory.getLogger(KeyProtectApiSource.class);

  private final OkHttpClient http;
  private final IamTokenProvider tokens;
  private final ApiRequestListener listener;
  private final CryptoUnitsParser parser = new CryptoUnitsParser();
  private final UnknownStateLog unknownStates;

  /**
   * Creates a source from its collaborators. {@link #close()} shuts {@code http} down.
   *
   * @param listener receives one {@link ApiRequestListener#LIST_CRYPTO_UNITS} call per request
   */
  public KeyProtectApiSource(
      OkHttpClient http,
      IamTokenProvider tokens,
      ApiRequestListener listener,
      UnknownStateLog unknownStates) {
    this.http = Objects.requireNonNull(http, "http");
    this.tokens = Objects.requireNonNull(tokens, "tokens");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.unknownStates = Objects.requireNonNull(unknownStates, "unknownStates");
  }

  /**
   * Creates a source for {@code config}: one HTTP client with {@code poll.timeout} as call timeout,
   * shared by the IAM and Key Protect requests, and tokens from {@code iam.url}.
   *
   * @throws IllegalArgumentException when the IAM URL is not an http or https URL
   */
  public static KeyProtectApiSource create(
      ExporterConfig config, Secret apiKey, ApiRequestListener listener) {
    return create(config, apiKey, listener, ProxyEnvironment.NONE);
  }

  /**
   * Creates a source as {@link #create(ExporterConfig, Secret, ApiRequestListener)} does, whose
   * IAM, API and probe requests go through {@code proxies}.
   */
  public static KeyProtectApiSource create(ExporterConfig config, Secret apiKey,
      ApiRequestListener listener, ProxyEnvironment proxies) {
    OkHttpClient http = HttpCalls.newClient(config.poll().timeout(), proxies);
    IamTokenProvider tokens =
        new IamTokenProvider(http, config.iam().url(), apiKey, Clock.systemUTC(), listener);
    return new KeyProtectApiSource(http, tokens, listener, new UnknownStateLog());
  }

  /**
   * Creates an HTTP client whose requests, body included, each finish within {@code timeout} and
   * that does not follow redirects.
   */
  public static OkHttpClient newHttpClient(Duration timeout) {
    return HttpCalls.newClient(timeout);
  }

  @Override
  public List<CryptoUnit> listCryptoUnits(InstanceConfig instance) throws PollException {
    HttpUrl url = cryptoUnitsUrl(instance);
    byte[] body = fetchWithOneRetry(instance.id(), url);
    List<CryptoUnit> units = parser.parse(instance.id(), body, tokens::mask);
    unknownStates.record(instance.id(), units);
    return units;
  }

  /**
   * Creates a key-operation probe that shares this source's HTTP client and IAM tokens, so that
   * the probe and the polls of an instance use one token. Closing this source also stops the
   * probe's HTTP client.
   */
  public KeyApiProbe keyApiProbe() {
    return new KeyApiProbe(http, tokens, listener);
  }

  /** Shuts down the HTTP client's dispatcher and closes its pooled connections. */
  @Override
  public void close() {
    HttpCalls.shutDown(http);
  }

  /** Joins the endpoint and the API path, keeping a path prefix and dropping trailing slashes. */
  static HttpUrl cryptoUnitsUrl(InstanceConfig instance) throws PollException {
    HttpUrl endpoint = HttpUrl.parse(instance.endpoint().toString());
    if (endpoint == null) {
      throw new PollException(
          PollErrorReason.CLIENT_ERROR,
          "endpoint "
              + instance.endpoint()
              + " of instance "
              + instance.id()
              + " is not an http or https URL; fix the instance's endpoint in the config");
    }
    String prefix = endpoint.encodedPath().replaceAll("/+$", "");
    return endpoint
        .newBuilder()
        .encodedPath(prefix + "/" + CRYPTO_UNITS_PATH)
        .username("")
        .password("")
        .query(null)
        .fragment(null)
        .build();
  }

  private byte[] fetchWithOneRetry(String instanceId, HttpUrl url) throws PollException {
    Secret token = tokens.token(instanceId);
    try (Response response = send(instanceId, url, token)) {
      // A false invalidate means a new token was rejected too, a short while ago.
      if (response.code() != 401 || !tokens.invalidate(token)) {
        return readSuccessfulBody(response, url, token);
      }
    } catch (IOException e) {
      throw HttpCalls.transportFailure("GET " + HttpCalls.display(url), e);
    }
    // The token may have been revoked or expired early, so retry once with a new one.
    logger.debug(
        "instance_id={} API rejected the IAM token with 401, retrying with a new one", instanceId);
    Secret freshToken = tokens.token(instanceId);
    try (Response response = send(instanceId, url, freshToken)) {
      return readSuccessfulBody(response, url, freshToken);
    } catch (IOException e) {
      throw HttpCalls.transportFailure("GET " + HttpCalls.display(url), e);
    }
  }

  private Response send(String instanceId, HttpUrl url, Secret token) throws PollException {
    String requestId = UUID.randomUUID().toString();
    Request request =
        new Request.Builder()
            .url(url)
            .header("Authorization", "Bearer " + token.reveal())
            .header("Bluemix-Instance", instanceId)
            .header("Instance-ID", instanceId)
            .header("X-Request-ID", requestId)
            .header("Accept", "application/json")
            .get()
            .build();
    long started = System.nanoTime();
    Response response;
    try {
      response = http.newCall(request).execute();
    } catch (IOException e) {
      listener.requestCompleted(
          instanceId, ApiRequestListener.LIST_CRYPTO_UNITS, ApiRequestListener.NO_RESPONSE);
      logger.debug(
          "instance_id={} GET {} failed after durationMs={} requestId={}: {}",
          instanceId,
          HttpCalls.display(url),
          elapsedMillis(started),
          requestId,
          e.toString());
      throw HttpCalls.transportFailure(
          "GET " + HttpCalls.display(url) + " (request id " + requestId + ")", e);
    }
    try {
      listener.requestCompleted(
          instanceId, ApiRequestListener.LIST_CRYPTO_UNITS, Integer.toString(response.code()));
      logger.debug(
          "instance_id={} GET {} status={} durationMs={} requestId={}",
          instanceId,
          HttpCalls.display(url),
          response.code(),
          elapsedMillis(started),
          requestId);
      return response;
    } catch (RuntimeException e) {
      // A failing listener must not leak the connection that the caller would have closed.
      response.close();
      throw e;
    }
  }

  private static long elapsedMillis(long startedNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedNanos);
  }

  private byte[] readSuccessfulBody(Response response, HttpUrl url, Secret token)
      throws IOException, PollException {
    if (!response.isSuccessful()) {
      throw statusFailure(response, url, token);
    }
    // Content-Length is not checked up front because OkHttp drops it when it unzips a gzip body.
    byte[] body = HttpCalls.readUpTo(response.body(), CryptoUnitsParser.MAX_BODY_BYTES + 1L);
    if (body.length > CryptoUnitsParser.MAX_BODY_BYTES) {
      throw tooLarge(url);
    }
    return body;
  }

  private PollException statusFailure(Response response, HttpUrl url, Secret token)
      throws IOException {
    int status = response.code();
    byte[] body = HttpCalls.readUpTo(response.body(), ErrorBodies.MAX_ERROR_BODY_BYTES);
    String description =
        ErrorBodies.describeKeyProtectError(body, text -> tokens.mask(token.maskIn(text)));
    StringBuilder message = new StringBuilder("GET ").append(HttpCalls.display(url));
    message.append(" returned HTTP ").append(status);
    if (!description.isEmpty()) {
      message.append(": ").append(description);
    }
    message.append(hint(response, url));
    return new PollException(
        HttpCalls.reasonForStatus(status),
        message.toString(),
        HttpCalls.isRetryableStatus(status),
        HttpCalls.retryAfter(response));
  }

  private static String hint(Response response, HttpUrl url) {
    int status = response.code();
    if (status == 401) {
      return " (also after a token refresh; check that the API key can read this instance)";
    }
    if (status == 403) {
      return " (check that the API key's access policy covers this instance)";
    }
    if (status == 429 && response.header("Retry-After") != null) {
      return " (Retry-After: " + Excerpt.of(response.header("Retry-After"), 40) + ")";
    }
    if (response.isRedirect()) {
      return " (redirects are not followed; set the endpoint to the final URL"
          + ", Location: "
          + HttpCalls.displayLocation(url, response.header("Location", ""))
          + ")";
    }
    return "";
  }

  private static PollException tooLarge(HttpUrl url) {
    return new PollException(
        PollErrorReason.BAD_RESPONSE,
        "GET "
            + HttpCalls.display(url)
            + " returned a body larger than "
            + CryptoUnitsParser.MAX_BODY_BYTES
            + " bytes; a crypto-unit list is far smaller");
  }
}
