package dev.sluice.loadtests.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.method.Plan;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ReadOptionsTest {
  private static final ReadOptions FULL = new ReadOptions(1_000, Duration.ofSeconds(60), Plan.full());
  private static final ReadOptions QUICK = new ReadOptions(200, Duration.ofSeconds(10), Plan.quick());

  private static ReadOptions parse(String... args) {
    return ReadOptions.parse(args, FULL, QUICK, "b");
  }

  @Test
  void eachOptionOverridesItsDefault() {
    assertEquals(FULL, parse());
    assertEquals(new ReadOptions(500, Duration.ofSeconds(60), Plan.full()), parse("--events", "500"));
    assertEquals(new ReadOptions(1_000, Duration.ofSeconds(9), Plan.full()), parse("--phase-limit-s", "9"));
    assertEquals(new ReadOptions(1_000, Duration.ofSeconds(60), Plan.full().withRounds(7)), parse("--rounds", "7"));
  }

  @Test
  void quickStartsFromTheQuickSizesAndPlanWhereverItStands() {
    assertEquals(QUICK, parse("--quick"));
    assertTrue(parse("--quick").plan().smoke());
    assertEquals(new ReadOptions(300, Duration.ofSeconds(10), Plan.quick().withRounds(3)),
        parse("--events", "300", "--rounds", "3", "--quick"), "options before --quick still override it");
  }

  @Test
  void badArgumentsAreExplainedWithTheUsage() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--events")).getMessage()
        .contains("usage: b"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--events", "x")).getMessage()
        .contains("usage: b"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--fast")).getMessage()
        .contains("unknown option --fast"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--events", "99")).getMessage()
        .contains("at least 100"));
    assertThrows(IllegalArgumentException.class, () -> parse("--rounds", "0"));
  }
}
