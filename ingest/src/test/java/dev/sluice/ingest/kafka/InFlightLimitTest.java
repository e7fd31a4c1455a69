package dev.sluice.ingest.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class InFlightLimitTest {
  @Test
  void refusesOneAppendOverTheCountAndTakesAgainAfterARelease() {
    InFlightLimit limit = new InFlightLimit(3, 1_000_000);
    assertTrue(limit.tryAcquire(10));
    assertTrue(limit.tryAcquire(10));
    assertTrue(limit.tryAcquire(10));
    assertFalse(limit.tryAcquire(10));
    assertEquals(3, limit.appendsInFlight());
    assertEquals(30, limit.bytesInFlight());
    limit.release(10);
    assertTrue(limit.tryAcquire(10));
    assertFalse(limit.tryAcquire(10));
  }

  @Test
  void refusesOverTheBytesWithoutKeepingAnyOfTheRefusedAppend() {
    InFlightLimit limit = new InFlightLimit(100, 1_000);
    assertTrue(limit.tryAcquire(600));
    assertFalse(limit.tryAcquire(600));
    assertEquals(1, limit.appendsInFlight());
    assertEquals(600, limit.bytesInFlight());
    assertTrue(limit.tryAcquire(400));
    limit.release(600);
    limit.release(400);
    assertEquals(0, limit.appendsInFlight());
    assertEquals(0, limit.bytesInFlight());
  }

  @Test
  void oneAppendLargerThanTheByteBoundPassesAlone() {
    InFlightLimit limit = new InFlightLimit(100, 1_000);
    assertTrue(limit.tryAcquire(5_000));
    assertFalse(limit.tryAcquire(1));
    limit.release(5_000);
    assertTrue(limit.tryAcquire(1));
  }

  @Test
  void boundsMustBePositive() {
    assertThrows(IllegalArgumentException.class, () -> new InFlightLimit(0, 1));
    assertThrows(IllegalArgumentException.class, () -> new InFlightLimit(1, 0));
  }
}
