package dev.sluice.gateway.auth;

import java.util.function.LongSupplier;

/**
 * A token bucket: holds up to {@code burst} tokens, refills at {@code ratePerSecond}, starts full. Thread-safe: one
 * short critical section per take (a few arithmetic operations), so contention between event loops stays negligible.
 *
 * <p>Time comes from an injected nano-time source ({@code System::nanoTime} in production), so tests drive it.
 * Only differences between readings are used, which is what {@link System#nanoTime()} guarantees.
 */
public final class TokenBucket {
  private static final double NANOS_PER_SECOND = 1_000_000_000d;

  private final double ratePerSecond;
  private final int burst;
  private final LongSupplier nanoTime;
  private double tokens;
  private long lastRefill;

  public TokenBucket(double ratePerSecond, int burst, LongSupplier nanoTime) {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("ratePerSecond must be a positive number, was " + ratePerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, was " + burst);
    }
    this.ratePerSecond = ratePerSecond;
    this.burst = burst;
    this.nanoTime = nanoTime;
    this.tokens = burst;
    this.lastRefill = nanoTime.getAsLong();
  }

  /** Takes one token if there is one and returns 0; otherwise takes nothing and returns the nanos until one is due. */
  public synchronized long tryTake() {
    long now = nanoTime.getAsLong();
    long elapsed = now - lastRefill;
    if (elapsed > 0) {
      tokens = Math.min(burst, tokens + elapsed * ratePerSecond / NANOS_PER_SECOND);
      lastRefill = now;
    }
    if (tokens >= 1) {
      tokens -= 1;
      return 0;
    }
    return Math.max(1, (long) Math.ceil((1 - tokens) * NANOS_PER_SECOND / ratePerSecond));
  }

  /** Whole seconds to wait for {@code nanos}, rounded up, at least 1: the value of a {@code Retry-After} header. */
  public static long retryAfterSeconds(long nanos) {
    return Math.max(1, (long) Math.ceil(nanos / NANOS_PER_SECOND));
  }
}
