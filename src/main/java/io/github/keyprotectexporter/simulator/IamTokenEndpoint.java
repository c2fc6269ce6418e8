package io.github.keyprotectexporter.simulator;

import io.javalin.http.Context;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code POST /identity/token} like IBM Cloud IAM: exchanges an API key, sent as a form
 * field, for a bearer token. The API key never appears in a response or a log.
 */
final class IamTokenEndpoint {

  private static final Logger logger = LoggerFactory.getLogger(IamTokenEndpoint.class);

  static final String PATH = "/identity/token";
  static final String API_KEY_GRANT = "urn:ibm:params:oauth:grant-type:apikey";

  private final TokenIssuer issuer;
  private final RequestStats stats;

  IamTokenEndpoint(TokenIssuer issuer, RequestStats stats) {
    this.issuer = issuer;
    this.stats = stats;
  }

  void handle(Context ctx) {
    stats.countTokenRequest();
    String grantType = ctx.formParam("grant_type");
    String apiKey = ctx.formParam("apikey");
    if (isBlank(grantType)) {
      rejectMissing(ctx, "grant_type");
    } else if (!API_KEY_GRANT.equals(grantType)) {
      // NOTE: this error code is not checked against the real IAM service.
      reject(ctx, "BXNIM0103E", "Unsupported grant type.", "Expected " + API_KEY_GRANT + ".");
    } else if (isBlank(apiKey)) {
      rejectMissing(ctx, "apikey");
    } else if (!issuer.accepts(apiKey)) {
      reject(ctx, "BXNIM0415E", "Provided API key could not be found.", null);
    } else {
      ctx.contentType(ResponseBodies.JSON).result(ResponseBodies.token(issuer.issue()));
    }
  }

  private static void rejectMissing(Context ctx, String field) {
    String details = "Property '" + field + "' either missing or empty.";
    reject(ctx, "BXNIM0109E", "Property missing or empty.", details);
  }

  private static void reject(Context ctx, String code, String message, String details) {
    String requestId = UUID.randomUUID().toString();
    logger.debug("Rejected token request {} with {}: {}", requestId, code, message);
    ctx.status(400)
        .contentType(ResponseBodies.JSON)
        .result(ResponseBodies.iamError(code, message, details, requestId));
  }

  private static boolean isBlank(String value) {
    return value == null || value.isBlank();
  }
}
