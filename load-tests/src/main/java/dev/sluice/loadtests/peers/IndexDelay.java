package dev.sluice.loadtests.peers;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import java.util.concurrent.TimeUnit;

/**
 * How long the items of a run with a quarantine log were not findable in the console: from each item's append to the
 * log until the indexer had written it into the table ({@code sluice.quarantine.log.index.delay}), as quantiles read
 * off the timer's histogram (the upper bound of the bucket the quantile falls in) and the largest seen.
 *
 * @param items how many delays were measured
 */
record IndexDelay(long items, double p50Ms, double p99Ms, double maxMs) {
  static final String TIMER = "sluice.quarantine.log.index.delay";
  static final String INDEXED = "sluice.quarantine.log.indexed";

  static IndexDelay of(MeterRegistry meters) {
    Timer timer = meters.find(TIMER).timer();
    if (timer == null || timer.count() == 0) {
      return new IndexDelay(0, 0, 0, 0);
    }
    HistogramSnapshot snapshot = timer.takeSnapshot();
    return new IndexDelay(snapshot.count(), quantileMs(snapshot, 0.5), quantileMs(snapshot, 0.99),
        snapshot.max(TimeUnit.MILLISECONDS));
  }

  /** The upper bound, in ms, of the first bucket holding at least {@code q} of the values (cumulative counts). */
  static double quantileMs(HistogramSnapshot snapshot, double q) {
    double wanted = q * snapshot.count();
    for (CountAtBucket bucket : snapshot.histogramCounts()) {
      if (bucket.count() >= wanted) {
        return Math.min(bucket.bucket(TimeUnit.MILLISECONDS), snapshot.max(TimeUnit.MILLISECONDS));
      }
    }
    return snapshot.max(TimeUnit.MILLISECONDS);
  }

  /** How many items the indexer wrote into the table so far. */
  static long indexed(MeterRegistry meters) {
    return (long) meters.find(INDEXED).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  String text() {
    return String.format("p50 %.0f ms, p99 %.0f ms, max %.0f ms over %,d items", p50Ms, p99Ms, maxMs, items);
  }
}
