package dev.sluice.loadtests.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;

class RoundsTest {
  /** A variant whose runs return the given rates in turn, and that records when it ran. */
  private static Trial scripted(String name, List<String> calls, Double... rates) {
    Iterator<Double> it = List.of(rates).iterator();
    return () -> {
      calls.add(name);
      return it.next();
    };
  }

  @Test
  void warmsTheVariantsInterleavedUntilEachHasThreeRunsThatAgreeThenInterleavesTheRounds() throws Exception {
    List<String> calls = new ArrayList<>();
    Plan plan = new Plan(3, 2, 5, 0.10, false);
    Results r = new Rounds(plan, line -> {})
        // A: cold 50, then 90, 95, 100: the last three within 10 % of 100 after four warm-ups.
        .variant("A", scripted("A", calls, 50.0, 90.0, 95.0, 100.0, 100.0, 100.0, 100.0))
        .variant("B", scripted("B", calls, 200.0, 200.0, 200.0, 200.0, 250.0, 400.0))
        .run();
    // Warm-ups: A B, B A, A B (B settled at 200, 200, 200), then A alone (90, 95, 100 settled); rounds: A B, B A, A B.
    assertEquals(List.of("A", "B", "B", "A", "A", "B", "A", "A", "B", "B", "A", "A", "B"), calls);
    assertEquals(List.of(200.0, 250.0, 400.0), r.rates("B"));
    assertEquals(List.of(0.5, 0.4, 0.25), r.ratio("A", "B").samples(), "one ratio per round, in order");
    assertEquals(0.4, r.ratio("A", "B").median(), 1e-12);
    assertTrue(r.unsettled().isEmpty());
    assertEquals(List.of(50.0, 90.0, 95.0, 100.0), r.warmups().get("A").rates());
    assertEquals(List.of(200.0, 200.0, 200.0), r.warmups().get("B").rates());
  }

  @Test
  void aRateStillClimbingTenPercentARunIsNotSettled() {
    // Each neighbour is within 10 % of the next, but the three together span 19 %.
    assertFalse(Warmup.settled(List.of(17.0, 19.0, 21.0), 3, 0.10));
    assertTrue(Warmup.settled(List.of(17.0, 19.0, 21.0), 2, 0.10));
    assertTrue(Warmup.settled(List.of(5.0, 20.0, 21.0, 20.5), 3, 0.10));
    assertEquals(3, Warmup.window(Plan.full()));
    assertEquals(2, Warmup.window(new Plan(1, 1, 2, 0.1, false)));
    assertEquals(6, Plan.full().rounds(), "an even number: each order runs equally often");
  }

  @Test
  void aVariantThatNeverSettlesIsMeasuredAnywayAndNamed() throws Exception {
    List<String> calls = new ArrayList<>();
    Results r = new Rounds(new Plan(1, 2, 3, 0.10, false), line -> {})
        .variant("jumpy", scripted("jumpy", calls, 10.0, 20.0, 40.0, 80.0))
        .run();
    assertEquals(4, calls.size(), "three warm-ups, then the one round");
    assertEquals(List.of("jumpy"), r.unsettled());
    assertFalse(r.warmups().get("jumpy").settled());
    assertTrue(r.describe().contains("not settled within 3: jumpy"), r.describe());
  }

  @Test
  void aSmokePlanWarmsOnceAndRunsTwoRounds() throws Exception {
    List<String> calls = new ArrayList<>();
    new Rounds(Plan.quick(), line -> {}).variant("A", scripted("A", calls, 1.0, 1.0, 1.0)).run();
    assertEquals(3, calls.size());
    assertTrue(Plan.quick().smoke());
    assertFalse(Plan.full().smoke());
  }

  @Test
  void variantsAreNamedOnceAndAtLeastOneIsNeeded() {
    Rounds rounds = new Rounds(Plan.full(), line -> {}).variant("A", () -> 1);
    assertThrows(IllegalArgumentException.class, () -> rounds.variant("A", () -> 2));
    assertThrows(IllegalStateException.class, () -> new Rounds(Plan.full(), line -> {}).run());
    assertThrows(IllegalArgumentException.class, () -> new Plan(0, 1, 1, 0.1, false));
  }
}
