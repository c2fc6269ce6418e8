package io.github.keyprotectexporter.sources;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.time.Instant;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.BufferedSource;

/** HTTP plumbing shared by the IAM and Key Protect clients: the client, body reads, failures. */
final class HttpCalls {

  private static final int MAX_LOCATION_CHARS = 100;

  private HttpCalls() {}

  /**
   * Creates the client that all requests of one source share. Each request, body included, must
   * finish within {@code timeout}. Redirects are not followed, so a bearer token is never sent to
   * another URL and a misconfigured endpoint fails visibly.
   */
  static OkHttpClient newClient(Duration timeout) {
    return newClient(timeout, ProxyEnvironment.NONE);
  }

  /** Creates a client like {@link #newClient(Duration)} that sends requests via {@code proxies}. */
  static OkHttpClient newClient(Duration timeout, ProxyEnvironment proxies) {
    OkHttpClient.Builder builder = new OkHttpClient.Builder()
        .callTimeout(timeout)
        .connectTimeout(timeout)
        .readTimeout(timeout)
        .writeTimeout(timeout)
        .followRedirects(false)
        .followSslRedirects(false);
    return proxies.configure(builder).build();
  }

  /** Releases the client's threads and pooled connections. */
  static void shutDown(OkHttpClient client) {
    client.dispatcher().executorService().shutdown();
    client.connectionPool().evictAll();
  }

  /** Reads at most {@code limit} bytes of {@code body}, so the caller can detect a longer body. */
  static byte[] readUpTo(ResponseBody body, long limit) throws IOException {
    BufferedSource source = body.source();
    source.request(limit);
    long available = Math.min(source.getBuffer().size(), limit);
    return source.getBuffer().readByteArray(available);
  }

  /**
   * Classifies a request that got no complete response: a call, connect or read timeout (all {@link
   * InterruptedIOException}) is {@link PollErrorReason#TIMEOUT}, any other I/O error {@link
   * PollErrorReason#NETWORK}.
   */
  static PollException transportFailure(String request, IOException e) {
    if (e instanceof InterruptedIOException) {
      return new PollException(PollErrorReason.TIMEOUT, request + " timed out: " + describe(e), e);
    }
    return new PollException(PollErrorReason.NETWORK, request + " failed: " + describe(e), e);
  }

  /**
   * Maps a non-2xx status of the Key Protect API to a reason: 401 and 403 are AUTH, 429 is
   * RATE_LIMITED, 5xx SERVER_ERROR, and any other status (4xx, or a 3xx that is not followed)
   * CLIENT_ERROR.
   */
  static PollErrorReason reasonForStatus(int status) {
    if (status == 401 || status == 403) {
      return PollErrorReason.AUTH;
    }
    if (status == 429) {
      return PollErrorReason.RATE_LIMITED;
    }
    if (status >= 500) {
      return PollErrorReason.SERVER_ERROR;
    }
    return PollErrorReason.CLIENT_ERROR;
  }

  /**
   * Returns true for a status after which the same request may succeed later: 429 and every 5xx
   * except 501 (not implemented), the statuses that IBM's SDK clients retry.
   */
  static boolean isRetryableStatus(int status) {
    return status == 429 || (status >= 500 && status <= 599 && status != 501);
  }

  /**
   * Returns the wait that the response's {@code Retry-After} header requests, or null. Only a 429
   * or 503 counts, as in HTTP and IBM's SDK clients, so that a stray header on a 400 or 404 cannot
   * block an instance for minutes.
   */
  static Duration retryAfter(Response response) {
    if (response.code() != 429 && response.code() != 503) {
      return null;
    }
    return RetryAfter.parse(
            response.headers(), Instant.ofEpochMilli(response.receivedResponseAtMillis()))
        .orElse(null);
  }

  /** Returns {@code url} without user info, query and fragment, for messages and logs. */
  static String display(HttpUrl url) {
    return url.newBuilder().username("").password("").query(null).fragment(null).build().toString();
  }

  /**
   * Returns the {@code Location} of a redirect from {@code requestUrl}, resolved and shown like
   * {@link #display(HttpUrl)}, because a query or user info may carry a token. A value that is
   * not a URL is cut at its query or fragment.
   */
  static String displayLocation(HttpUrl requestUrl, String location) {
    if (location.isBlank()) {
      return "(none)";
    }
    HttpUrl resolved = requestUrl.resolve(location);
    if (resolved != null) {
      return Excerpt.of(display(resolved), MAX_LOCATION_CHARS);
    }
    int end = location.length();
    for (char separator : new char[] {'?', '#'}) {
      int index = location.indexOf(separator);
      if (index >= 0 && index < end) {
        end = index;
      }
    }
    return Excerpt.of(location.substring(0, end), MAX_LOCATION_CHARS);
  }

  private static String describe(IOException e) {
    String message = e.getMessage();
    String type = e.getClass().getSimpleName();
    return message == null ? type : type + ": " + Excerpt.of(message);
  }
}
