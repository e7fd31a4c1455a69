package dev.sluice.gateway.auth;

import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * A producer's API key as configured: only the SHA-256 of the token is known to the gateway, never the token.
 *
 * @param name a label for logs, metrics and problem details (not secret)
 * @param sha256Hex the SHA-256 of the token's UTF-8 bytes, 64 hex digits (kept lower case)
 * @param streams the streams the key may post to; {@value #EVERY_STREAM} means every stream
 * @param admin whether the key may change the registry and the stream definitions
 * @param ratePerSecond the sustained number of requests per second the key may make
 * @param burst how many requests the key may make at once, after a quiet period
 */
public record ApiKey(
    String name, String sha256Hex, Set<String> streams, boolean admin, double ratePerSecond, int burst) {
  /** In {@link #streams()}: the key may post to every stream. */
  public static final String EVERY_STREAM = "*";

  public ApiKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(sha256Hex, "sha256Hex");
    if (name.isBlank()) {
      throw new IllegalArgumentException("an API key needs a name");
    }
    sha256Hex = sha256Hex.toLowerCase(Locale.ROOT);
    if (!isSha256Hex(sha256Hex)) {
      // Never echo the value: a token pasted here by mistake must not end up in a log.
      throw new IllegalArgumentException("API key '" + name + "': sha256 must be 64 hex digits");
    }
    streams = Set.copyOf(streams);
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("API key '" + name + "': rate per second must be a positive number");
    }
    if (burst < 1) {
      throw new IllegalArgumentException("API key '" + name + "': burst must be at least 1");
    }
  }

  /** Whether the key may post to {@code stream}. */
  public boolean mayPostTo(String stream) {
    return streams.contains(EVERY_STREAM) || streams.contains(stream);
  }

  static boolean isSha256Hex(String s) {
    return s.length() == 64 && s.chars().allMatch(c -> (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
        || (c >= 'A' && c <= 'F'));
  }

  /** Only the name: the hash, though not the token, stays out of logs and exception messages too. */
  @Override
  public String toString() {
    return "ApiKey[" + name + "]";
  }
}
