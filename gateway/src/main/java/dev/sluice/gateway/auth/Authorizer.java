package dev.sluice.gateway.auth;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Decides whether a request may go ahead: pure, apart from the rate limiter's buckets. The order is
 * <ol>
 *   <li>credentials: a Bearer token in the {@code Authorization} header, else {@code MissingCredentials};</li>
 *   <li>authentication: the token's hash matches a key, else {@code UnknownKey};</li>
 *   <li>rate: the key has a token left in its bucket, else {@code RateLimited}. Every authenticated request counts,
 *       whatever its scope, so a key cannot flood the gateway with requests it will be refused either;</li>
 *   <li>scope: the key may post to the stream, or is admin for admin calls.</li>
 * </ol>
 * Unauthenticated requests never reach the rate limiter, so made-up tokens cannot drain a real key's quota.
 */
public final class Authorizer {
  private static final String BEARER = "bearer";

  private final ApiKeys keys;
  private final RateLimiter limiter;

  public Authorizer(ApiKeys keys, RateLimiter limiter) {
    this.keys = Objects.requireNonNull(keys, "keys");
    this.limiter = Objects.requireNonNull(limiter, "limiter");
  }

  public Access check(String authorizationHeader, Scope scope) {
    Objects.requireNonNull(scope, "scope");
    Optional<String> token = bearerToken(authorizationHeader);
    if (token.isEmpty()) {
      return new Access.Denied(new AccessFailure.MissingCredentials());
    }
    Optional<ApiKey> found = keys.lookup(token.get());
    if (found.isEmpty()) {
      return new Access.Denied(new AccessFailure.UnknownKey());
    }
    ApiKey key = found.get();
    if (limiter.acquire(key) instanceof RateLimiter.Limited limited) {
      return new Access.Denied(new AccessFailure.RateLimited(key, limited.retryAfterSeconds()));
    }
    if (scope instanceof Scope.Ingest ingest) {
      return key.mayPostTo(ingest.stream())
          ? new Access.Granted(key)
          : new Access.Denied(new AccessFailure.StreamForbidden(key, ingest.stream()));
    }
    if (scope instanceof Scope.RegistryRead) {
      return new Access.Granted(key);
    }
    // RegistryWrite, StreamAdmin
    return key.admin() ? new Access.Granted(key) : new Access.Denied(new AccessFailure.AdminRequired(key));
  }

  /** The token of {@code Bearer <token>} (the scheme is case-insensitive, RFC 9110 11.1), if there is a non-empty one. */
  static Optional<String> bearerToken(String header) {
    if (header == null) {
      return Optional.empty();
    }
    String h = header.strip();
    int space = h.indexOf(' ');
    if (space < 0 || !h.substring(0, space).toLowerCase(Locale.ROOT).equals(BEARER)) {
      return Optional.empty();
    }
    String token = h.substring(space + 1).strip();
    return token.isEmpty() ? Optional.empty() : Optional.of(token);
  }
}
