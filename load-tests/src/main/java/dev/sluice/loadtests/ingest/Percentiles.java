package dev.sluice.loadtests.ingest;

import java.util.Arrays;

/**
 * Exact percentiles of a set of latencies, by the nearest-rank method: the p-th percentile is the smallest value such
 * that at least p % of the values are at or below it. The sets here are bounded (offered rate times phase length), so
 * keeping every value and sorting once is exact and cheap; no histogram bucketing error.
 */
public final class Percentiles {
  private final long[] sorted;

  private Percentiles(long[] sorted) {
    this.sorted = sorted;
  }

  /** Copies and sorts {@code values}. */
  public static Percentiles of(long[] values) {
    long[] copy = Arrays.copyOf(values, values.length);
    Arrays.sort(copy);
    return new Percentiles(copy);
  }

  public int count() {
    return sorted.length;
  }

  /**
   * @param p in (0, 100]
   * @throws IllegalStateException when there are no values
   */
  public long percentile(double p) {
    if (!(p > 0 && p <= 100)) {
      throw new IllegalArgumentException("percentile must be in (0, 100], was " + p);
    }
    if (sorted.length == 0) {
      throw new IllegalStateException("no values");
    }
    int rank = (int) Math.ceil(p / 100.0 * sorted.length);
    return sorted[Math.max(rank, 1) - 1];
  }

  public long max() {
    if (sorted.length == 0) {
      throw new IllegalStateException("no values");
    }
    return sorted[sorted.length - 1];
  }
}
