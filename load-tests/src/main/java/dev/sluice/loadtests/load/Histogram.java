package dev.sluice.loadtests.load;

import java.util.concurrent.atomic.AtomicLongArray;

/** Counts of latencies per {@link LatencyBuckets} bucket; thread-safe to record into, mergeable. */
final class Histogram {
  private final AtomicLongArray counts = new AtomicLongArray(LatencyBuckets.COUNT);

  void record(long micros) {
    counts.incrementAndGet(LatencyBuckets.index(micros));
  }

  void addTo(long[] totals) {
    for (int i = 0; i < totals.length; i++) {
      totals[i] += counts.get(i);
    }
  }

  static long total(long[] counts) {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  /**
   * The {@code p}-th percentile (0 < p <= 100) of the counted values plus {@code beyond} values known to be larger
   * than any bucket (requests still unanswered); {@code Long.MAX_VALUE} when the percentile falls among those, -1
   * when there is nothing at all.
   */
  static long percentile(long[] counts, long beyond, double p) {
    long n = total(counts) + beyond;
    if (n == 0) {
      return -1;
    }
    long rank = Math.max(1, (long) Math.ceil(p / 100.0 * n));
    long seen = 0;
    for (int i = 0; i < counts.length; i++) {
      seen += counts[i];
      if (seen >= rank) {
        return LatencyBuckets.representative(i);
      }
    }
    return Long.MAX_VALUE;
  }

  /** The largest counted value's bucket representative, -1 when empty. */
  static long max(long[] counts) {
    for (int i = counts.length - 1; i >= 0; i--) {
      if (counts[i] > 0) {
        return LatencyBuckets.representative(i);
      }
    }
    return -1;
  }
}
