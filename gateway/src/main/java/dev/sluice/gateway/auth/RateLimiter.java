package dev.sluice.gateway.auth;

import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.function.LongSupplier;

/**
 * A token bucket per API key, at the key's own rate and burst. Buckets exist only for keys that authenticated, so
 * their number is bounded by the configured keys (an attacker's made-up tokens never create one). Thread-safe.
 */
public final class RateLimiter {
  /** What the limiter says about one request. */
  public sealed interface Decision {}

  /** The request may go ahead (it used one token). */
  public record Allowed() implements Decision {}

  /** Over the rate: retry after this many whole seconds (at least 1). */
  public record Limited(long retryAfterSeconds) implements Decision {}

  private static final Decision ALLOWED = new Allowed();

  private final LongSupplier nanoTime;
  private final ConcurrentMap<ApiKey, TokenBucket> buckets = new ConcurrentHashMap<>();

  /** @param nanoTime a monotonic clock in nanoseconds: {@code System::nanoTime} in production */
  public RateLimiter(LongSupplier nanoTime) {
    this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
  }

  public Decision acquire(ApiKey key) {
    // Keyed by the whole key value, so a key reconfigured with another rate gets a fresh bucket at that rate.
    TokenBucket bucket = buckets.computeIfAbsent(key, k -> new TokenBucket(k.ratePerSecond(), k.burst(), nanoTime));
    long wait = bucket.tryTake();
    return wait == 0 ? ALLOWED : new Limited(TokenBucket.retryAfterSeconds(wait));
  }
}
