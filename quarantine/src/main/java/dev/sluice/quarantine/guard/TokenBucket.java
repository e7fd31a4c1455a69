package dev.sluice.quarantine.guard;

import java.util.function.LongSupplier;

/**
 * Paces work at {@code ratePerSecond} with a small burst: a bulk redrive job's sends, a replay's events. {@link
 * #reserve()} books the next token and says how long to wait for it, so a caller can schedule a whole batch at once
 * and the batch still keeps the rate.
 *
 * <p>Not thread-safe: each user takes it from its one Vert.x context only.
 */
public final class TokenBucket {
  private final double nanosPerToken;
  private final long burstNanos;
  private final LongSupplier nanoClock;
  /** When the next token is free; may be in the future when tokens have been booked ahead. */
  private long nextFreeAt;

  /**
   * @param burst how many tokens may be taken at once after a quiet period (at least 1)
   * @param nanoClock a monotonic clock in nanoseconds ({@code System::nanoTime}; a fake one in tests)
   */
  public TokenBucket(double ratePerSecond, int burst, LongSupplier nanoClock) {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("ratePerSecond must be positive, was " + ratePerSecond);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("burst must be at least 1, was " + burst);
    }
    this.nanosPerToken = 1e9 / ratePerSecond;
    this.burstNanos = (long) (nanosPerToken * (burst - 1));
    this.nanoClock = nanoClock;
    this.nextFreeAt = nanoClock.getAsLong() - burstNanos;
  }

  /** Books one token; returns the nanoseconds to wait before using it (0: use it now). */
  public long reserve() {
    long now = nanoClock.getAsLong();
    // Unused time beyond the burst does not accumulate.
    long start = Math.max(nextFreeAt, now - burstNanos);
    nextFreeAt = start + (long) nanosPerToken;
    return Math.max(0, start - now);
  }
}
