package io.github.keyprotectexporter.sources;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.keyprotectexporter.config.IamSettings;
import io.github.keyprotectexporter.config.Secret;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.FormBody;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one IAM token request: {@code POST} of the API key as the form grant {@code
 * urn:ibm:params:oauth:grant-type:apikey}. Neither the key nor a token reaches a message or log.
 * Text from IAM error bodies is masked because IAM may echo the key. {@link IamTokenProvider}
 * documents how failures map to reasons.
 */
final class IamTokenClient {

  static final String GRANT_TYPE = "urn:ibm:params:oauth:grant-type:apikey";

  /**
   * Shortest token lifetime accepted. IAM issues tokens for an hour, so a shorter one is either
   * expired on arrival or a broken response.
   */
  static final Duration MIN_LIFETIME = Duration.ofSeconds(1);

  /**
   * Maximum token lifetime used. A response that states more, such as a lifetime of billions of
   * years, is refreshed as if the token expired after this.
   */
  static final Duration MAX_LIFETIME = Duration.ofHours(24);

  /** The characters of an RFC 6750 {@code b64token}, the only ones a bearer token may contain. */
  private static final Pattern BEARER_TOKEN = Pattern.compile("[A-Za-z0-9._~+/-]+=*");

  private static final int MAX_TOKEN_RESPONSE_BYTES = 1024 * 1024;
  private static final Logger logger = LoggerFactory.getLogger(IamTokenClient.class);
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final OkHttpClient http;
  private final HttpUrl url;
  private final Secret apiKey;
  private final ApiRequestListener listener;

  IamTokenClient(OkHttpClient http, URI url, Secret apiKey, ApiRequestListener listener) {
    this.http = Objects.requireNonNull(http, "http");
    this.url = parseUrl(url);
    this.apiKey = Objects.requireNonNull(apiKey, "apiKey");
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Requests a new token for the poll of {@code instanceId}, sent at {@code now}. */
  IamToken fetch(String instanceId, Instant now) throws PollException {
    Request request =
        new Request.Builder()
            .url(url)
            .header("Accept", "application/json")
            .post(
                new FormBody.Builder()
                    .add("grant_type", GRANT_TYPE)
                    .add("apikey", apiKey.reveal())
                    .build())
            .build();
    Response response;
    try {
      response = http.newCall(request).execute();
    } catch (IOException e) {
      listener.requestCompleted(
          instanceId, ApiRequestListener.IAM_TOKEN, ApiRequestListener.NO_RESPONSE);
      throw HttpCalls.transportFailure(describeRequest(), e);
    }
    try (response) {
      listener.requestCompleted(
          instanceId, ApiRequestListener.IAM_TOKEN, Integer.toString(response.code()));
      logger.debug("instance_id={} IAM token request status={}", instanceId, response.code());
      if (!response.isSuccessful()) {
        throw rejected(instanceId, response);
      }
      byte[] body = HttpCalls.readUpTo(response.body(), MAX_TOKEN_RESPONSE_BYTES + 1L);
      return readToken(instanceId, body, now);
    } catch (IOException e) {
      throw HttpCalls.transportFailure(describeRequest(), e);
    }
  }

  /** Returns {@code text} with the API key and anything shaped like a token masked. */
  String mask(String text) {
    return CredentialPatterns.mask(apiKey.maskIn(text));
  }

  private PollException rejected(String instanceId, Response response) throws IOException {
    int status = response.code();
    byte[] body = HttpCalls.readUpTo(response.body(), ErrorBodies.MAX_ERROR_BODY_BYTES);
    ErrorBodies.IamError error = ErrorBodies.readIamError(body, this::mask);
    // DEBUG only, because the caller logs the PollException, whose message has the same fields.
    logger.debug(
        "instance_id={} IAM token request failed: status={} errorCode={} message=\"{}\""
            + " requestId={}",
        instanceId,
        status,
        error.errorCode(),
        error.message(),
        error.requestId());
    StringBuilder message = new StringBuilder(describeRequest());
    message.append(" failed with HTTP ").append(status);
    if (!error.errorCode().isEmpty()) {
      message.append(' ').append(error.errorCode());
    }
    if (!error.message().isEmpty()) {
      message.append(": ").append(error.message());
    }
    if (!error.requestId().isEmpty()) {
      message.append(" (IAM request id ").append(error.requestId()).append(')');
    }
    if (status == 400 || status == 401 || status == 403) {
      message.append("; check that the API key is valid and not revoked");
    }
    // Not retryable by the poller: IamTokenProvider backs token requests off itself, and reads
    // the Retry-After wait from here.
    return new PollException(
        reasonForStatus(status), message.toString(), false, HttpCalls.retryAfter(response));
  }

  /**
   * Reads a 2xx token response; its content never reaches a message because it contains a token.
   */
  IamToken readToken(String instanceId, byte[] body, Instant now) throws PollException {
    if (body.length > MAX_TOKEN_RESPONSE_BYTES) {
      throw badTokenResponse("is larger than " + MAX_TOKEN_RESPONSE_BYTES + " bytes");
    }
    JsonNode root;
    try {
      root = MAPPER.readTree(body);
    } catch (IOException e) {
      // The exception text may quote the token, so neither it nor the cause is kept.
      throw badTokenResponse("is not valid JSON");
    }
    Secret token = accessToken(root);
    return new IamToken(token, now, now.plus(usableLifetime(instanceId, root, now)));
  }

  private Secret accessToken(JsonNode root) throws PollException {
    JsonNode token = root == null ? null : root.get("access_token");
    if (token == null || !token.isTextual() || token.textValue().isBlank()) {
      throw badTokenResponse("has no access_token");
    }
    if (!BEARER_TOKEN.matcher(token.textValue()).matches()) {
      // A character such as CR or a space would make every API request fail to build.
      throw badTokenResponse(
          "has an access_token with characters that a bearer token cannot contain."
              + " RFC 6750 allows letters, digits, - . _ ~ + / and trailing =");
    }
    return new Secret(token.textValue());
  }

  /** Returns the stated lifetime, cut to {@link #MAX_LIFETIME}. */
  private Duration usableLifetime(String instanceId, JsonNode root, Instant now)
      throws PollException {
    Duration stated = statedLifetime(root, now);
    if (stated == null) {
      throw badTokenResponse("has neither a positive expires_in nor a future expiration");
    }
    if (stated.compareTo(MIN_LIFETIME) < 0) {
      throw badTokenResponse(
          "has a token that expires in less than " + MIN_LIFETIME.toSeconds() + " s");
    }
    if (stated.compareTo(MAX_LIFETIME) <= 0) {
      return stated;
    }
    logger.warn(
        "instance_id={} IAM token response from {} states a lifetime of {} s, longer than the"
            + " maximum of {} s; the token is refreshed as if it expired after the maximum",
        instanceId,
        HttpCalls.display(url),
        stated.toSeconds(),
        MAX_LIFETIME.toSeconds());
    return MAX_LIFETIME;
  }

  /**
   * Returns the lifetime that the response states, or null when it states none in the future.
   * Prefers {@code expires_in} because it is relative and so immune to clock skew between this host
   * and IAM, and falls back to the absolute {@code expiration} (epoch seconds). Any long value is
   * accepted here without overflow, because {@link Duration} represents every long number of
   * seconds.
   */
  private static Duration statedLifetime(JsonNode root, Instant now) {
    JsonNode expiresIn = root.get("expires_in");
    if (expiresIn != null && expiresIn.canConvertToLong() && expiresIn.asLong() > 0) {
      return Duration.ofSeconds(expiresIn.asLong());
    }
    JsonNode expiration = root.get("expiration");
    if (expiration == null || !expiration.canConvertToLong()) {
      return null;
    }
    long expiresAtSecond = expiration.asLong();
    long nowSecond = now.getEpochSecond();
    if (expiresAtSecond <= nowSecond) {
      return null;
    }
    // Both are positive for any clock after 1970, so the difference cannot overflow.
    return Duration.ofSeconds(expiresAtSecond - nowSecond, -now.getNano());
  }

  private static PollErrorReason reasonForStatus(int status) {
    // IAM returns 400 BXNIM0415E for an API key that does not exist, so 400 is an auth failure.
    if (status == 400) {
      return PollErrorReason.AUTH;
    }
    return HttpCalls.reasonForStatus(status);
  }

  private PollException badTokenResponse(String problem) {
    return new PollException(
        PollErrorReason.BAD_RESPONSE,
        "IAM token response from " + HttpCalls.display(url) + " " + problem);
  }

  private String describeRequest() {
    return "IAM token request to " + HttpCalls.display(url);
  }

  private static HttpUrl parseUrl(URI url) {
    Objects.requireNonNull(url, "url");
    HttpUrl parsed = HttpUrl.parse(url.toString());
    if (parsed == null) {
      throw new IllegalArgumentException(
          "IAM URL "
              + url
              + " is not an http or https URL; set iam.url to the token endpoint,"
              + " for example "
              + IamSettings.DEFAULT_URL);
    }
    return parsed;
  }
}
