package dev.sluice.loadtests.ingest;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The clock of one maximum-throughput run, shared by its load generators: a short ramp that counts nothing, then the
 * measurement, then the stop. The generator keeps sending until {@link #stopping()} and counts only what completes
 * while {@link #measuring()}, so what was in flight across either edge is left out. One window per run.
 */
final class MeasureWindow {
  /** What the measurement counted, over how many seconds. */
  record Counted(long count, double seconds) {
    double perSecond() {
      return count / seconds;
    }
  }

  private volatile boolean measuring;
  private volatile boolean stopping;

  boolean measuring() {
    return measuring;
  }

  boolean stopping() {
    return stopping;
  }

  /**
   * Sleeps through the ramp, then measures what {@code counter} counts, then tells the generator to stop; returns at
   * once after that, the generator winds down itself (the caller waits for it before the next run).
   */
  Counted run(Duration ramp, Duration measure, LongAdder counter) throws InterruptedException {
    TimeUnit.NANOSECONDS.sleep(ramp.toNanos());
    counter.reset();
    measuring = true;
    long t0 = System.nanoTime();
    TimeUnit.NANOSECONDS.sleep(measure.toNanos());
    measuring = false;
    long t1 = System.nanoTime();
    long counted = counter.sum();
    stopping = true;
    return new Counted(counted, (t1 - t0) / 1e9);
  }
}
