package dev.sluice.loadtests.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.consumer.RunMeter.Run;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunMeterTest {
  private static Run run(String label, double rate) {
    return new Run(label, 1_000, 1_000 / rate, true);
  }

  @Test
  void theMedianRunIsTheMiddleRate() {
    List<Run> runs = List.of(new Run("x", 100, 1, true), new Run("y", 100, 4, true), new Run("z", 100, 2, true));
    assertEquals("z", RunMeter.median(runs).label());
  }

  @Test
  void pairedRoundsAreComparedWithinEachRoundSoAMachineThatSpeedsUpDoesNotDecide() {
    // The machine got three times quieter after round 2: each side's median would give 50,000 / 25,000 = 2.0.
    List<Run> bare = List.of(run("b1", 18_000), run("b2", 25_000), run("b3", 66_000));
    List<Run> replay = List.of(run("r1", 17_000), run("r2", 50_000), run("r3", 66_000));
    assertEquals(2.0, RunMeter.median(replay).rate() / RunMeter.median(bare).rate(), 1e-9);
    assertEquals(1.0, RunMeter.pairs(replay, bare).median(), 0.01);
    assertEquals("(0.94 / 2.00 / 1.00)", RunMeter.ratios(replay, bare));
  }

  @Test
  void roundsMustPairUp() {
    assertThrows(IllegalArgumentException.class, () -> RunMeter.pairs(List.of(run("r", 1)), List.of()));
    assertThrows(IllegalArgumentException.class, () -> RunMeter.ratios(List.of(run("r", 1)), List.of()));
    assertTrue(Double.isNaN(RunMeter.pairs(List.of(), List.of()).median()));
    assertEquals(0, RunMeter.pairs(List.of(run("r", 1)), List.of(new Run("b", 0, 0, false))).n(),
        "a round whose baseline read nothing gives no ratio");
  }
}
