package dev.sluice.gateway.auth;

import dev.sluice.gateway.problem.GatewayProblem;
import dev.sluice.ingest.problem.Failure;
import java.util.Locale;
import java.util.Map;

/**
 * Why a request was refused access, kept as a value that knows its problem: 401 with a {@code WWW-Authenticate}
 * challenge (RFC 6750: {@code error="invalid_token"} only when a token was presented), 403, and 429 with
 * {@code Retry-After}. Details name the key (its configured name), never the token. {@link #label()} is the bounded
 * metrics label.
 */
public sealed interface AccessFailure extends Failure {
  String REALM = "sluice";
  String CHALLENGE = "Bearer realm=\"" + REALM + "\"";

  /** The lower_snake metrics label: the problem type's name, e.g. {@code stream_forbidden}. */
  default String label() {
    return problem().name().toLowerCase(Locale.ROOT);
  }

  @Override
  GatewayProblem problem();

  /** No {@code Authorization} header, an empty one, or not a Bearer token: 401. */
  record MissingCredentials() implements AccessFailure {
    public GatewayProblem problem() {
      return GatewayProblem.MISSING_CREDENTIALS;
    }

    public String detail() {
      return "this call needs an API key: send the header 'Authorization: Bearer <api key>'";
    }

    public Map<String, String> headers() {
      return Map.of("WWW-Authenticate", CHALLENGE);
    }
  }

  /** A Bearer token that matches no configured key: 401. */
  record UnknownKey() implements AccessFailure {
    /** Shorter than the type's name: {@code unknown_key} is the label docs/metrics.md documents. */
    @Override
    public String label() {
      return "unknown_key";
    }

    public GatewayProblem problem() {
      return GatewayProblem.UNKNOWN_API_KEY;
    }

    public String detail() {
      return "the Bearer token matches no configured API key";
    }

    public Map<String, String> headers() {
      return Map.of("WWW-Authenticate", CHALLENGE + ", error=\"invalid_token\"");
    }
  }

  /** A known key that may not post to this stream: 403. */
  record StreamForbidden(ApiKey key, String stream) implements AccessFailure {
    public GatewayProblem problem() {
      return GatewayProblem.STREAM_FORBIDDEN;
    }

    public String detail() {
      return "API key '" + key.name() + "' may not post to stream '" + stream + "'";
    }
  }

  /** A known key without admin rights asking for an admin call: 403. */
  record AdminRequired(ApiKey key) implements AccessFailure {
    public GatewayProblem problem() {
      return GatewayProblem.ADMIN_REQUIRED;
    }

    public String detail() {
      return "this call changes the registry or a stream definition and needs an admin key; API key '"
          + key.name() + "' is not one";
    }
  }

  /** A known key over its request rate: 429 with {@code Retry-After}. */
  record RateLimited(ApiKey key, long retryAfterSeconds) implements AccessFailure {
    public GatewayProblem problem() {
      return GatewayProblem.RATE_LIMITED;
    }

    public String detail() {
      double rate = key.ratePerSecond();
      String shown = rate == Math.rint(rate) ? Long.toString((long) rate) : Double.toString(rate);
      return "API key '" + key.name() + "' is over its rate of " + shown + " requests per second; retry after "
          + retryAfterSeconds + " s";
    }

    public Map<String, String> headers() {
      return Map.of("Retry-After", Long.toString(retryAfterSeconds));
    }
  }
}
