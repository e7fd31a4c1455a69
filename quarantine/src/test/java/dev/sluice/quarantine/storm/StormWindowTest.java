package dev.sluice.quarantine.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StormWindowTest {
  /** More than half of the last 10 records, at least 4 of them. */
  private static StormWindow window() {
    return new StormWindow(new StormBreaker(true, 0.5, 10, 4));
  }

  @Test
  void aFingerprintThatFailsEveryRecordTripsAtTheMinimum() {
    StormWindow w = window();
    assertFalse(w.failed("a"));
    assertFalse(w.failed("a"));
    assertFalse(w.failed("a"));
    assertTrue(w.failed("a"), "the 4th failure of 4 records");
    assertEquals(4, w.failures("a"));
    assertEquals(4, w.size());
  }

  @Test
  void failuresAmongHandledRecordsTripOnlyAboveTheShareOfTheWindow() {
    StormWindow w = window();
    for (int i = 0; i < 5; i++) {
      w.passed();
      assertFalse(w.failed("a"), "failure " + (i + 1) + " of " + (2 * (i + 1)) + ": half, not more");
    }
    assertEquals(10, w.size());
    // The oldest record (handled) leaves the window: 6 failures of 10.
    assertTrue(w.failed("a"));
    assertEquals(6, w.failures("a"));
    assertEquals(10, w.size());
  }

  /** Three failures of {@code a}: one short of the minimum. */
  private static StormWindow threeFailures() {
    StormWindow w = window();
    for (int i = 0; i < 3; i++) {
      assertFalse(w.failed("a"));
    }
    return w;
  }

  @Test
  void failuresThatLeaveTheWindowNoLongerCount() {
    StormWindow w = threeFailures();
    for (int i = 0; i < 10; i++) {
      w.passed();
    }
    assertEquals(0, w.failures("a"), "every failure has left the window");
    assertFalse(w.failed("a"));
    assertEquals(1, w.failures("a"));
  }

  @Test
  void differentFingerprintsAreCountedApart() {
    // Together they are more than half of the window; neither is.
    StormWindow w = new StormWindow(new StormBreaker(true, 0.5, 40, 4));
    for (int i = 0; i < 5; i++) {
      assertFalse(w.failed("a"), "a: " + (i + 1) + " of " + (3 * i + 1));
      assertFalse(w.failed("b"), "b: " + (i + 1) + " of " + (3 * i + 2));
      w.passed();
    }
    assertEquals(5, w.failures("a"));
    assertEquals(5, w.failures("b"));
    assertEquals(15, w.size());
  }

  @Test
  void aResetStartsAFreshWindow() {
    StormWindow w = threeFailures();
    w.reset();
    assertEquals(0, w.size());
    assertEquals(0, w.failures("a"));
    assertFalse(w.failed("a"), "1 failure after the reset, not 4");
  }

  @Test
  void anOffBreakerCountsNothingAndNeverTrips() {
    StormWindow w = new StormWindow(StormBreaker.off());
    for (int i = 0; i < 500; i++) {
      assertFalse(w.failed("a"));
    }
    assertEquals(0, w.size());
  }
}
