package dev.sluice.loadtests.ingest;

import dev.sluice.loadtests.harness.Progress;
import java.time.Duration;
import java.util.concurrent.atomic.LongAdder;

/**
 * The clock of a maximum-throughput phase, shared by its load generators: a warm-up that counts nothing, then the
 * measurement, then the stop. The generator keeps sending until {@link #stopping()} and counts only what completes
 * while {@link #measuring()}, so what was in flight across either edge is left out.
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
   * Sleeps through the warm-up, then measures what {@code counter} counts (ticking {@code progress}), then tells the
   * generator to stop; returns at once after that, the generator winds down itself.
   */
  Counted run(Progress progress, Duration warmup, Duration measure, LongAdder counter) throws InterruptedException {
    progress.sleepWithTicks("warm-up", warmup, null);
    counter.reset();
    measuring = true;
    long t0 = System.nanoTime();
    progress.sleepWithTicks("measure", measure, counter::sum);
    measuring = false;
    long t1 = System.nanoTime();
    long counted = counter.sum();
    stopping = true;
    return new Counted(counted, (t1 - t0) / 1e9);
  }
}
