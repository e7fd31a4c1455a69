package dev.sluice.loadtests.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.consumer.RunMeter.Run;
import dev.sluice.loadtests.consumer.SteadyWindow.Steady;
import dev.sluice.loadtests.method.Plan;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.method.Rounds;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class TimedVariantTest {
  @Test
  void itsRateIsTheRunsAndOnlyTheRunsAfterItsWarmUpsCountAsMeasured() throws Exception {
    Iterator<Run> runs = List.of(new Run("w", 100, 10, true), new Run("1", 200, 1, true),
        new Run("2", 150, 1, false)).iterator();
    TimedVariant v = new TimedVariant("V", runs::next);
    Results r = new Rounds(new Plan(2, 1, 1, 0.1, true), line -> {}).variant(v.name(), v).run();
    assertEquals(List.of(200.0, 150.0), r.rates("V"));
    assertEquals(List.of("1", "2"), v.measured(r).stream().map(Run::label).toList());
    assertTrue(v.rateText(r).endsWith("; 1 of 2 runs stopped by the run limit, rated on what they read"),
        v.rateText(r));
  }

  @Test
  void aSteadyVariantIsRatedOnEachRunsSteadyWindow() throws Exception {
    Iterator<Run> runs = List.of(new Run("w", 100, 1, true, new Steady(80, 0.5)),
        new Run("1", 100, 1, true, new Steady(80, 0.4)), new Run("2", 100, 1, true)).iterator();
    TimedVariant v = TimedVariant.steady("V", runs::next);
    Results r = new Rounds(new Plan(2, 1, 1, 0.1, true), line -> {}).variant(v.name(), v).run();
    // the second measured run reached no window, so it counts as a whole
    assertEquals(List.of(200.0, 100.0), r.rates("V"));
  }
}
