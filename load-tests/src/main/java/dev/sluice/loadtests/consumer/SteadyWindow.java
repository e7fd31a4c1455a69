package dev.sluice.loadtests.consumer;

/**
 * The steady part of a run over a finite topic: from the first sample at or past {@value #FROM_PERCENT} % of the
 * records expected to the first at or past {@value #TO_PERCENT} %. It leaves out the start (partitions fetched one
 * after another, a handler's first calls) and the drain at the end, where a concurrent consumer's last records sit on
 * fewer and fewer keys and partitions: with a 2 ms handler and hundreds of calls in flight that tail lasts a few
 * hundred ms, and how long depends on which keys happen to come last, so on a run of a few seconds it moved the whole
 * run's rate by up to a third from one run to the next.
 *
 * <p>Fed one sample at a time by {@link RunMeter} (every 2 ms, so at 150,000 records/s a sample lands within about
 * 300 records of each threshold: well under 1 % of the window).
 */
public final class SteadyWindow {
  static final int FROM_PERCENT = 10;
  static final int TO_PERCENT = 90;

  /** The window as measured: the records handled within it and how long it lasted. */
  public record Steady(long records, double seconds) {
    /** No window: the run ended before reaching its upper threshold. */
    public static final Steady NONE = new Steady(0, 0);

    public boolean measured() {
      return seconds > 0;
    }

    public double rate() {
      return seconds <= 0 ? 0 : records / seconds;
    }
  }

  private final long from;
  private final long to;
  private long fromNanos;
  private long fromCount = -1;
  private Steady steady = Steady.NONE;

  /** @param expected the records the run reads in all */
  public SteadyWindow(long expected) {
    this.from = expected * FROM_PERCENT / 100;
    this.to = expected * TO_PERCENT / 100;
  }

  /** One sample: {@code count} records handled at {@code nanos}. Samples come in time order. */
  public void sample(long nanos, long count) {
    if (fromCount < 0 && count >= from) {
      fromNanos = nanos;
      fromCount = count;
    }
    if (fromCount >= 0 && !steady.measured() && count >= to && nanos > fromNanos) {
      steady = new Steady(count - fromCount, (nanos - fromNanos) / 1e9);
    }
  }

  public Steady steady() {
    return steady;
  }
}
