package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class OpenModelScheduleTest {
  @Test
  void requestsAreDueAtFixedIntervalsFromTheStart() {
    OpenModelSchedule s = new OpenModelSchedule(1_000, 1_000); // 1000/s: one every millisecond
    assertEquals(1_000, s.dueNanos(0));
    assertEquals(1_000 + 1_000_000, s.dueNanos(1));
    assertEquals(1_000 + 2_500_000_000L, s.dueNanos(2_500));
  }

  @Test
  void dueTimesDoNotDriftWhenTheIntervalIsNotWhole() {
    OpenModelSchedule s = new OpenModelSchedule(0, 3); // every 333,333,333.3 ns
    assertEquals(333_333_333, s.dueNanos(1));
    assertEquals(1_000_000_000, s.dueNanos(3));
    assertEquals(1_000_000_000_000L, s.dueNanos(3_000)); // accumulating 333,333,333 would be 1,000 ns early
  }

  @Test
  void dueCountIsTheNumberOfRequestsWhoseTimeHasCome() {
    OpenModelSchedule s = new OpenModelSchedule(10_000, 1_000);
    assertEquals(0, s.dueCount(9_999));
    assertEquals(1, s.dueCount(10_000)); // request 0 is due at the start
    assertEquals(1, s.dueCount(10_000 + 999_999));
    assertEquals(2, s.dueCount(10_000 + 1_000_000));
    assertEquals(1_001, s.dueCount(10_000 + 1_000_000_000));
  }

  @Test
  void dueCountAgreesWithDueNanosForAnAwkwardRate() {
    OpenModelSchedule s = new OpenModelSchedule(123, 7_777.7);
    for (long i = 0; i < 20_000; i += 37) {
      long due = s.dueNanos(i);
      assertEquals(i + 1, s.dueCount(due), "at the due time of request " + i);
      assertEquals(i, s.dueCount(due - 1), "just before the due time of request " + i);
    }
  }

  @Test
  void countWithinCountsTheRequestsOfAWindow() {
    OpenModelSchedule s = new OpenModelSchedule(0, 500);
    assertEquals(1_500, s.countWithin(3.0)); // due at 0, 2 ms, ... 2998 ms; the one at 3000 ms is outside
    assertEquals(0, s.countWithin(0));
  }

  @Test
  void refusesRatesThatDefineNoSchedule() {
    assertThrows(IllegalArgumentException.class, () -> new OpenModelSchedule(0, 0));
    assertThrows(IllegalArgumentException.class, () -> new OpenModelSchedule(0, -5));
    assertThrows(IllegalArgumentException.class, () -> new OpenModelSchedule(0, Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> new OpenModelSchedule(0, Double.POSITIVE_INFINITY));
  }
}
