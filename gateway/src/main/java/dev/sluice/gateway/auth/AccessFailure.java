package dev.sluice.gateway.auth;

/**
 * Why a request was refused access, kept as a value. The HTTP mapping is in
 * {@code dev.sluice.gateway.http.AccessProblems}; {@link #label()} is the bounded metrics label.
 */
public sealed interface AccessFailure {
  /** The lower_snake metrics label, e.g. {@code unknown_key}. */
  String label();

  /** No {@code Authorization} header, an empty one, or not a Bearer token: 401. */
  record MissingCredentials() implements AccessFailure {
    public String label() {
      return "missing_credentials";
    }
  }

  /** A Bearer token that matches no configured key: 401. */
  record UnknownKey() implements AccessFailure {
    public String label() {
      return "unknown_key";
    }
  }

  /** A known key that may not post to this stream: 403. */
  record StreamForbidden(ApiKey key, String stream) implements AccessFailure {
    public String label() {
      return "stream_forbidden";
    }
  }

  /** A known key without admin rights asking for an admin call: 403. */
  record AdminRequired(ApiKey key) implements AccessFailure {
    public String label() {
      return "admin_required";
    }
  }

  /** A known key over its request rate: 429 with {@code Retry-After}. */
  record RateLimited(ApiKey key, long retryAfterSeconds) implements AccessFailure {
    public String label() {
      return "rate_limited";
    }
  }
}
