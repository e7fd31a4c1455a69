package dev.sluice.loadtests.ingest;

/**
 * When each request of an open-model load is due: request {@code i} is due at {@code start + i / rate}, fixed before
 * the run starts and independent of how fast earlier requests were answered.
 *
 * <p>Why: a closed-model generator (send the next request when the previous one is answered) slows down exactly when
 * the server does, so the slow period produces few samples and the percentiles look good ("coordinated omission").
 * With a fixed schedule the requests that should have been sent during a stall still count, and their latency is
 * measured from their due time: queueing on the client side shows as latency, as it would for real producers.
 *
 * @param startNanos the due time of request 0, on the {@link System#nanoTime()} clock
 * @param ratePerSecond the offered rate, requests per second
 */
public record OpenModelSchedule(long startNanos, double ratePerSecond) {
  public OpenModelSchedule {
    if (!(ratePerSecond > 0) || Double.isInfinite(ratePerSecond)) {
      throw new IllegalArgumentException("rate must be a positive finite number, was " + ratePerSecond);
    }
  }

  /** The due time of request {@code index}. Computed from the index, not accumulated, so rounding never drifts. */
  public long dueNanos(long index) {
    if (index < 0) {
      throw new IllegalArgumentException("index must be >= 0, was " + index);
    }
    return startNanos + Math.round(index * 1e9 / ratePerSecond);
  }

  /** How many requests are due at {@code nowNanos}, i.e. the number of indexes {@code i} with due time <= now. */
  public long dueCount(long nowNanos) {
    if (nowNanos < startNanos) {
      return 0;
    }
    long n = (long) Math.floor((nowNanos - startNanos) * ratePerSecond / 1e9) + 1;
    // Guard the floating-point edges against dueNanos, which is the definition.
    while (n > 0 && dueNanos(n - 1) > nowNanos) {
      n--;
    }
    while (dueNanos(n) <= nowNanos) {
      n++;
    }
    return n;
  }

  /** How many requests are due within the first {@code seconds} of the schedule (due time < start + seconds). */
  public long countWithin(double seconds) {
    long end = startNanos + Math.round(seconds * 1e9);
    return dueCount(end - 1);
  }
}
