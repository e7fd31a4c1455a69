package dev.sluice.loadtests.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.consumer.SteadyWindow.Steady;
import org.junit.jupiter.api.Test;

class SteadyWindowTest {
  private static final long MS = 1_000_000L;

  @Test
  void theWindowRunsFromTheFirstSampleAtTenPercentToTheFirstAtNinety() {
    SteadyWindow w = new SteadyWindow(1_000);
    w.sample(1 * MS, 50);
    w.sample(2 * MS, 120); // the first at or past 100
    w.sample(10 * MS, 880);
    w.sample(12 * MS, 920); // the first at or past 900
    w.sample(500 * MS, 1_000); // the slow drain: outside the window
    assertEquals(new Steady(800, 0.010), w.steady());
    assertEquals(80_000, w.steady().rate(), 1e-6);
  }

  @Test
  void aRunThatNeverReachesNinetyPercentHasNoWindow() {
    SteadyWindow w = new SteadyWindow(1_000);
    w.sample(1 * MS, 200);
    w.sample(2 * MS, 899);
    assertFalse(w.steady().measured());
    assertEquals(Steady.NONE, w.steady());
  }

  @Test
  void oneSampleCrossingBothThresholdsGivesNoWindowRatherThanAnInfiniteRate() {
    SteadyWindow w = new SteadyWindow(1_000);
    w.sample(1 * MS, 1_000);
    assertFalse(w.steady().measured());
  }

  @Test
  void aRunWithoutAWindowIsRatedAsAWhole() {
    Run whole = new Run("r", 1_000, 2, true);
    assertEquals(500, whole.steadyRate(), 1e-9);
    Run steady = new Run("r", 1_000, 2, true, new Steady(800, 1));
    assertEquals(800, steady.steadyRate(), 1e-9);
    assertEquals(500, steady.rate(), 1e-9);
    assertTrue(steady.steady().measured());
  }
}
