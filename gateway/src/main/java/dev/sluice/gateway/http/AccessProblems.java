package dev.sluice.gateway.http;

import dev.sluice.gateway.auth.AccessFailure;
import dev.sluice.gateway.http.Problems.Problem;
import io.vertx.core.json.JsonObject;
import java.util.Map;

/**
 * Access failures as problem+json, next to {@link Problems}: 401 with a {@code WWW-Authenticate} challenge (RFC 6750:
 * {@code error="invalid_token"} only when a token was presented), 403, and 429 with {@code Retry-After}. Details name
 * the key (its configured name), never the token.
 */
public final class AccessProblems {
  public static final String REALM = "sluice";
  public static final String CHALLENGE = "Bearer realm=\"" + REALM + "\"";

  private AccessProblems() {}

  public static Problem of(AccessFailure failure, String instance) {
    if (failure instanceof AccessFailure.MissingCredentials) {
      return problem(401, "missing-credentials", "Missing credentials",
          "this call needs an API key: send the header 'Authorization: Bearer <api key>'", instance,
          Map.of("WWW-Authenticate", CHALLENGE));
    }
    if (failure instanceof AccessFailure.UnknownKey) {
      return problem(401, "unknown-api-key", "Unknown API key",
          "the Bearer token matches no configured API key", instance,
          Map.of("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\""));
    }
    if (failure instanceof AccessFailure.StreamForbidden f) {
      return problem(403, "stream-forbidden", "Stream not allowed for this key",
          "API key '" + f.key().name() + "' may not post to stream '" + f.stream() + "'", instance, Map.of());
    }
    if (failure instanceof AccessFailure.AdminRequired f) {
      return problem(403, "admin-required", "Admin key required",
          "this call changes the registry or a stream definition and needs an admin key; API key '"
              + f.key().name() + "' is not one", instance, Map.of());
    }
    AccessFailure.RateLimited f = (AccessFailure.RateLimited) failure;
    return problem(429, "rate-limited", "Too many requests",
        "API key '" + f.key().name() + "' is over its rate of " + formatRate(f.key().ratePerSecond())
            + " requests per second; retry after " + f.retryAfterSeconds() + " s",
        instance, Map.of("Retry-After", Long.toString(f.retryAfterSeconds())));
  }

  private static String formatRate(double rate) {
    return rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
  }

  private static Problem problem(
      int status, String slug, String title, String detail, String instance, Map<String, String> headers) {
    JsonObject body = new JsonObject()
        .put("type", Problems.TYPE_BASE + slug)
        .put("title", title)
        .put("status", status)
        .put("detail", detail)
        .put("instance", instance);
    return new Problem(status, body, headers);
  }
}
