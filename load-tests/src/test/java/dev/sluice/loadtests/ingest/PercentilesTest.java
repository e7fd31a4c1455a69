package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PercentilesTest {
  @Test
  void nearestRankOverOneToAHundred() {
    long[] values = LongStream.rangeClosed(1, 100).map(i -> 101 - i).toArray(); // unsorted on purpose
    Percentiles p = Percentiles.of(values);
    assertEquals(50, p.percentile(50));
    assertEquals(99, p.percentile(99));
    assertEquals(100, p.percentile(99.9));
    assertEquals(100, p.percentile(100));
    assertEquals(1, p.percentile(0.5));
    assertEquals(100, p.max());
    assertEquals(100, p.count());
  }

  @Test
  void aSlowTailShowsAtP99OnlyWhenItIsMoreThanOnePercent() {
    long[] values = new long[1_000];
    java.util.Arrays.fill(values, 2);
    for (int i = 0; i < 11; i++) {
      values[i * 90] = 500; // 1.1 % slow
    }
    assertEquals(2, Percentiles.of(values).percentile(50));
    assertEquals(500, Percentiles.of(values).percentile(99));
  }

  @Test
  void oneValueIsEveryPercentile() {
    Percentiles p = Percentiles.of(new long[] {7});
    assertEquals(7, p.percentile(1));
    assertEquals(7, p.percentile(50));
    assertEquals(7, p.percentile(100));
  }

  @Test
  void doesNotReorderTheCallersArray() {
    long[] values = {3, 1, 2};
    Percentiles.of(values);
    assertArrayEquals(new long[] {3, 1, 2}, values);
  }

  @Test
  void refusesNoValuesAndPercentilesOutOfRange() {
    assertThrows(IllegalStateException.class, () -> Percentiles.of(new long[0]).percentile(50));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new long[] {1}).percentile(0));
    assertThrows(IllegalArgumentException.class, () -> Percentiles.of(new long[] {1}).percentile(100.1));
  }
}
