package dev.sluice.quarantine.storm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StormBreakerTest {
  private final StormBreaker rule = StormBreaker.defaults();

  @Test
  void theDefaultsAreMoreThanHalfOfTheLast200AndAtLeast50() {
    assertEquals(new StormBreaker(true, 0.5, 200, 50), rule);
    assertFalse(StormBreaker.off().enabled());
  }

  @Test
  void tripsAboveTheShareOnceTheMinimumFailed() {
    assertFalse(rule.trips(49, 49), "49 failures of 49 records: fewer than the minimum");
    assertTrue(rule.trips(50, 50), "50 of 50");
    assertTrue(rule.trips(101, 200), "101 of 200 is more than half");
  }

  @Test
  void exactlyTheShareDoesNotTrip() {
    assertFalse(rule.trips(100, 200), "100 of 200 is half, not more");
  }

  @Test
  void offNeverTrips() {
    assertFalse(StormBreaker.off().trips(200, 200));
  }

  @Test
  void refusesAShareOutsideZeroToOneAWindowBelowOneAndAMinimumOutsideTheWindow() {
    assertThrows(IllegalArgumentException.class, () -> new StormBreaker(true, 0, 200, 50));
    assertThrows(IllegalArgumentException.class, () -> new StormBreaker(true, 1.01, 200, 50));
    assertThrows(IllegalArgumentException.class, () -> new StormBreaker(true, 0.5, 0, 1));
    assertThrows(IllegalArgumentException.class, () -> new StormBreaker(true, 0.5, 200, 0));
    assertThrows(IllegalArgumentException.class, () -> new StormBreaker(true, 0.5, 200, 201));
  }
}
