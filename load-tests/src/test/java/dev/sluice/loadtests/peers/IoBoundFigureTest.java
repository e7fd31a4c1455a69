package dev.sluice.loadtests.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IoBoundFigureTest {
  /** Events per second with this many 2 ms waits always in flight: the most a timer-bound consumer can reach. */
  private static double ideal(int inFlight) {
    return inFlight * 1_000.0 / IoBoundFigure.WAIT.toMillis();
  }

  @Test
  void theBoundedFloorLeavesRoomBelowTheTimersOwnRatio() {
    // Ordered: one record in flight per partition, 3 partitions. Bounded: its per-consumer limit. The floor must sit
    // below the ratio of the two ideals, or the wrapper could fail it by doing any work at all.
    double timerRatio = ideal(SluiceRunner.BOUNDED.perConsumer()) / ideal(PeerTopics.PARTITIONS);
    assertEquals(8.0, timerRatio, 1e-9);
    assertTrue(IoBoundFigure.BOUNDED_FLOOR <= 0.8 * timerRatio, "floor " + IoBoundFigure.BOUNDED_FLOOR);
  }

  @Test
  void theBoundedWrapperIsTimerBoundFarBelowTheCpuBoundRate() {
    // 139,600 events/s: the by-key wrapper's lowest median in one evening's three full runs (CPU-bound, 768 in
    // flight); on a slower night it read 87,872, still over seven times the bounded wrapper's ideal.
    assertTrue(ideal(SluiceRunner.BOUNDED.perConsumer()) <= 139_600 / 10.0);
    assertEquals("byKey(8, 24)", SluiceRunner.BOUNDED_TEXT);
    assertEquals(SluiceRunner.BY_KEY.perConsumer(), IoBoundFigure.MAX_CONCURRENCY);
  }
}
