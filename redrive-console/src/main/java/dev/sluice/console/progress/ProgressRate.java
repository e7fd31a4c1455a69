package dev.sluice.console.progress;

import java.util.OptionalLong;

/**
 * A measured rate (work items handled per second: a job's items, a replay's events), smoothed over samples, and the
 * ETA it gives. Times are passed in (nanoseconds from a monotonic clock), so it is tested without waiting.
 */
public final class ProgressRate {
  /** Weight of the newest sample: about the last five samples count. */
  static final double SMOOTHING = 0.3;

  private long lastAt;
  private long lastProcessed;
  private double perSecond;
  private boolean measured;

  public ProgressRate(long startNanos, long processed) {
    this.lastAt = startNanos;
    this.lastProcessed = processed;
  }

  public void sample(long nanos, long processed) {
    long elapsed = nanos - lastAt;
    if (elapsed < 100_000_000L) {
      // Too close to the last sample to say anything.
      return;
    }
    double now = (processed - lastProcessed) * 1e9 / elapsed;
    perSecond = measured ? SMOOTHING * now + (1 - SMOOTHING) * perSecond : now;
    measured = true;
    lastAt = nanos;
    lastProcessed = processed;
  }

  public double perSecond() {
    return perSecond;
  }

  /** Seconds until {@code remaining} items are handled at the measured rate; empty while nothing moves. */
  public OptionalLong etaSeconds(long remaining) {
    if (remaining == 0) {
      return OptionalLong.of(0);
    }
    return perSecond > 0 ? OptionalLong.of((long) Math.ceil(remaining / perSecond)) : OptionalLong.empty();
  }
}
