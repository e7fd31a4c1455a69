package dev.sluice.loadtests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class TimeSeriesRecorderTest {
  private static final long SECOND = 1_000_000_000L;

  @Test
  void bucketsCoverTheirRangeWithoutGapsAndWithinTenPercent() {
    int previous = -1;
    for (long v = 0; v < 2_000_000; v += 7) {
      int i = LatencyBuckets.index(v);
      assertTrue(i == previous || i == previous + 1, "gap at " + v);
      assertTrue(LatencyBuckets.lowerBound(i) <= v && (i + 1 == LatencyBuckets.COUNT
          || v < LatencyBuckets.lowerBound(i + 1)), "bounds at " + v);
      previous = i;
    }
    for (long v : new long[] {1_500, 15_000, 150_000, 1_500_000, 15_000_000}) {
      long width = LatencyBuckets.lowerBound(LatencyBuckets.index(v) + 1) - LatencyBuckets.lowerBound(
          LatencyBuckets.index(v));
      assertTrue(width <= v / 10 + 1, v + ": " + width);
    }
    assertEquals(LatencyBuckets.COUNT - 1, LatencyBuckets.index(Long.MAX_VALUE));
    assertEquals(0, LatencyBuckets.index(-5));
  }

  @Test
  void percentilesOfKnownValues() {
    long[] h = new long[LatencyBuckets.COUNT];
    for (int ms = 1; ms <= 100; ms++) {
      h[LatencyBuckets.index(ms * 1_000L)]++;
    }
    assertEquals(50, Histogram.percentile(h, 0, 50) / 1000);
    assertEquals(99, Histogram.percentile(h, 0, 99) / 1000);
    assertEquals(100, Histogram.max(h) / 1000, 5);
    // Two unanswered requests among 100 answered push p99 past every bucket.
    assertEquals(Long.MAX_VALUE, Histogram.percentile(h, 2, 99));
    assertEquals(-1, Histogram.percentile(new long[LatencyBuckets.COUNT], 0, 50));
  }

  @Test
  void secondsAreCountedByStartTime() {
    TimeSeriesRecorder rec = new TimeSeriesRecorder(10).startAt(100);
    rec.sentAt(100);
    rec.answered(100, 2_000, true);
    rec.sentAt(100 + SECOND);
    rec.sentAt(100 + SECOND);
    rec.answered(100 + SECOND, 40_000, false);
    // Second 2 has nothing; second 3 a request still unanswered.
    rec.sentAt(100 + 3 * SECOND + 5);
    List<SecondStats> series = rec.series(s -> 42);
    assertEquals(4, series.size());
    assertEquals(new SecondStats(0, 42, 1, 1, 0, 2_050, 2_050, 2_050, 2_050), series.get(0));
    assertEquals(2, series.get(1).sent());
    assertEquals(1, series.get(1).ko());
    assertEquals(-1, series.get(2).p50Micros());
    assertEquals(1, series.get(3).sent());
    TimeSeriesRecorder.Window all = rec.window(0, Integer.MAX_VALUE);
    assertEquals(4, all.sent());
    assertEquals(2, all.pending());
  }

  @Test
  void requestsPastTheBoundLandInTheLastSecond() {
    TimeSeriesRecorder rec = new TimeSeriesRecorder(3).startAt(1);
    rec.sentAt(1 + 100 * SECOND);
    assertEquals(1, rec.window(2, 3).sent());
  }
}
