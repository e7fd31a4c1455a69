package dev.sluice.loadtests.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StallTest {
  private static final long MS = 1_000_000;

  @Test
  void theStallRunsFromTheRecordBeforeToTheRecordAfter() {
    // Offsets 0..6 handled 1 ms apart, except offset 3 (quarantined): offset 4 came 50 ms after offset 2.
    long[] at = {1 * MS, 2 * MS, 3 * MS, 0, 53 * MS, 54 * MS, 55 * MS};
    Stall stall = Stall.around(at, 3);
    assertEquals(50.0, stall.stallMs(), 1e-9);
    assertEquals(1.0, stall.medianGapMs(), 1e-9);
    assertEquals(50.0, stall.gaps(), 1e-9);
  }

  @Test
  void theMedianGapLeavesTheStallOutAndIsTheMiddleOne() {
    // Gaps elsewhere: 1, 3, 2 (ms), then 0->... around offset 4 left out, then 7.
    long[] at = {10 * MS, 11 * MS, 14 * MS, 16 * MS, 0, 116 * MS, 123 * MS};
    Stall stall = Stall.around(at, 4);
    assertEquals(100.0, stall.stallMs(), 1e-9);
    assertEquals(3.0, stall.medianGapMs(), 1e-9);
  }

  @Test
  void bothNeighboursMustHaveBeenHandled() {
    assertThrows(IllegalArgumentException.class, () -> Stall.around(new long[] {1, 0, 0, 4}, 1));
    assertThrows(IllegalArgumentException.class, () -> Stall.around(new long[] {1, 0, 3}, 0));
    assertThrows(IllegalArgumentException.class, () -> Stall.around(new long[] {1, 0, 3}, 2));
  }

  @Test
  void withNoOtherGapTheMedianIsNotANumber() {
    Stall stall = Stall.around(new long[] {1 * MS, 0, 5 * MS}, 1);
    assertEquals(4.0, stall.stallMs(), 1e-9);
    assertTrue(Double.isNaN(stall.medianGapMs()));
    assertTrue(Double.isNaN(stall.gaps()));
  }
}
