package dev.sluice.loadtests.load;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntToDoubleFunction;

/**
 * Per-second request counts and latency histograms of one run, keyed by the second each request started in. Written
 * from Gatling's threads (lock-free), read for the report and, during a ramp, to decide whether a step failed.
 */
public final class TimeSeriesRecorder {
  private final AtomicLong startNanos = new AtomicLong();
  private final AtomicReferenceArray<Bucket> seconds;

  private static final class Bucket {
    final LongAdder sent = new LongAdder();
    final LongAdder ok = new LongAdder();
    final LongAdder ko = new LongAdder();
    final Histogram latencies = new Histogram();
  }

  /** One range of seconds merged: what a ramp step is judged on. */
  public record Window(long sent, long ok, long ko, long[] histogram) {
    public long pending() {
      return Math.max(0, sent - ok - ko);
    }

    /** Percentile over answered requests plus the pending ones counted as slower than anything. */
    public long percentileMicros(double p) {
      return Histogram.percentile(histogram, pending(), p);
    }
  }

  /**
   * The clock starts at the first request (Gatling takes seconds to start, and its schedule starts with the first
   * user), so second 0 here is second 0 of the injection profile.
   *
   * @param maxSeconds the run's length bound; later requests land in the last second
   */
  public TimeSeriesRecorder(int maxSeconds) {
    this.seconds = new AtomicReferenceArray<>(Math.max(1, maxSeconds));
  }

  /** Starts the clock now unless a request already did; for tests and recorders fed by hand. */
  TimeSeriesRecorder startAt(long nanos) {
    startNanos.compareAndSet(0, nanos);
    return this;
  }

  /** {@link System#nanoTime()} of the first request, 0 before it. */
  public long startNanos() {
    return startNanos.get();
  }

  /** A request starts now; returns its start, to pass to {@link #answered}. */
  public long started() {
    long now = System.nanoTime();
    startNanos.compareAndSet(0, now);
    sentAt(now);
    return now;
  }

  /** Counts a request started at {@code nanos}. */
  void sentAt(long nanos) {
    bucket(nanos).sent.increment();
  }

  /** Counts a request started at {@code startNanos} (by {@link #started}) as answered after {@code micros}. */
  public void answered(long startNanos, long micros, boolean ok) {
    Bucket b = bucket(startNanos);
    (ok ? b.ok : b.ko).increment();
    b.latencies.record(micros);
  }

  /** Seconds elapsed since the start. */
  public int elapsedSeconds() {
    long start = startNanos.get();
    return start == 0 ? 0 : (int) ((System.nanoTime() - start) / 1_000_000_000L);
  }

  private Bucket bucket(long nanos) {
    int s = (int) Math.max(0, Math.min(seconds.length() - 1, (nanos - startNanos.get()) / 1_000_000_000L));
    Bucket b = seconds.get(s);
    if (b == null) {
      seconds.compareAndSet(s, null, new Bucket());
      b = seconds.get(s);
    }
    return b;
  }

  /** Seconds [from, to) merged. */
  public Window window(int from, int to) {
    long sent = 0;
    long ok = 0;
    long ko = 0;
    long[] h = new long[LatencyBuckets.COUNT];
    for (int s = Math.max(0, from); s < Math.min(to, seconds.length()); s++) {
      Bucket b = seconds.get(s);
      if (b != null) {
        sent += b.sent.sum();
        ok += b.ok.sum();
        ko += b.ko.sum();
        b.latencies.addTo(h);
      }
    }
    return new Window(sent, ok, ko, h);
  }

  /** Every second up to the last one anything started in, with what the schedule offered in each. */
  public List<SecondStats> series(IntToDoubleFunction offered) {
    int last = -1;
    for (int s = seconds.length() - 1; s >= 0; s--) {
      if (seconds.get(s) != null) {
        last = s;
        break;
      }
    }
    List<SecondStats> out = new ArrayList<>();
    for (int s = 0; s <= last; s++) {
      Window w = window(s, s + 1);
      boolean any = w.ok() + w.ko() > 0;
      out.add(new SecondStats(s, offered.applyAsDouble(s), w.sent(), w.ok(), w.ko(),
          any ? Histogram.percentile(w.histogram(), 0, 50) : -1,
          any ? Histogram.percentile(w.histogram(), 0, 95) : -1,
          any ? Histogram.percentile(w.histogram(), 0, 99) : -1,
          Histogram.max(w.histogram())));
    }
    return out;
  }
}
