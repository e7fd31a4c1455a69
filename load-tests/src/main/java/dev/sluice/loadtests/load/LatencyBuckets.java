package dev.sluice.loadtests.load;

/**
 * Fixed log-linear latency buckets in microseconds, for lock-free per-second histograms: 10 µs wide below 1 ms, then
 * 90 buckets per decade (100 µs wide from 1 ms, 1 ms from 10 ms, 10 ms from 100 ms, ...), so a bucket is at most about
 * 10 % of its value wide. Values from 100 s up share the last bucket.
 */
final class LatencyBuckets {
  /** 100 buckets below 1 ms, then five decades of 90: 1 ms .. 100 s. */
  static final int COUNT = 100 + 5 * 90;
  static final long MAX_MICROS = 99_999_999L;

  private LatencyBuckets() {}

  static int index(long micros) {
    long v = Math.max(0, Math.min(micros, MAX_MICROS));
    if (v < 1_000) {
      return (int) (v / 10);
    }
    int decade = 1; // 1: [1 ms, 10 ms), 2: [10 ms, 100 ms), ...
    long low = 1_000;
    while (v >= low * 10) {
      low *= 10;
      decade++;
    }
    long width = low / 10;
    return 100 + (decade - 1) * 90 + (int) ((v - low) / width);
  }

  /** The smallest value of bucket {@code index}. */
  static long lowerBound(int index) {
    if (index < 100) {
      return index * 10L;
    }
    int decade = (index - 100) / 90 + 1;
    int offset = (index - 100) % 90;
    long low = 1_000;
    for (int d = 1; d < decade; d++) {
      low *= 10;
    }
    return low + offset * (low / 10);
  }

  /** The value a percentile falling into bucket {@code index} is reported as: the middle of the bucket. */
  static long representative(int index) {
    long lower = lowerBound(index);
    long upper = index + 1 < COUNT ? lowerBound(index + 1) : MAX_MICROS + 1;
    return (lower + upper) / 2;
  }
}
