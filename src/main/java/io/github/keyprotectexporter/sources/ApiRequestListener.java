package io.github.keyprotectexporter.sources;

/** Receives one call per HTTP request that a source makes, for {@code keyprotect_api_requests_total}. */
@FunctionalInterface
public interface ApiRequestListener {

  /** {@code operation} value of a crypto-unit list request. */
  String LIST_CRYPTO_UNITS = "list_crypto_units";

  /** {@code operation} value of a request of the key-operation probe. */
  String KEY_PROBE = "key_probe";

  /** {@code operation} value of an IAM token request. */
  String IAM_TOKEN = "iam_token";

  /** {@code code} value when no HTTP response arrived (timeout, connection error). */
  String NO_RESPONSE = "none";

  ApiRequestListener NONE = (instanceId, operation, code) -> {};

  /**
   * Records a finished request.
   *
   * @param instanceId the instance whose poll made the request
   * @param operation {@link #LIST_CRYPTO_UNITS}, {@link #KEY_PROBE} or {@link #IAM_TOKEN}
   * @param code the HTTP status code as three digits, or {@link #NO_RESPONSE}
   */
  void requestCompleted(String instanceId, String operation, String code);
}
