package dev.sluice.quarantine.guard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class HaltRuleTest {
  private final HaltRule rule = HaltRule.DEFAULT;

  @Test
  void doesNotJudgeBeforeTheMinimumOfOutcomes() {
    assertFalse(rule.shouldHalt(0, 49), "49 failures of 49 outcomes: too few to judge");
  }

  @Test
  void haltsAboveTheShareOnceEnoughOutcomesAreKnown() {
    assertTrue(rule.shouldHalt(39, 11), "11 of 50 is 22%");
    assertTrue(rule.shouldHalt(0, 50));
  }

  @Test
  void exactlyTheShareDoesNotHalt() {
    assertFalse(rule.shouldHalt(40, 10), "10 of 50 is 20%, not more");
    assertFalse(rule.shouldHalt(1000, 0));
  }

  @Test
  void refusesRatiosOutsideZeroToOneAndAZeroMinimum() {
    assertThrows(IllegalArgumentException.class, () -> new HaltRule(0, 50));
    assertThrows(IllegalArgumentException.class, () -> new HaltRule(1.5, 50));
    assertThrows(IllegalArgumentException.class, () -> new HaltRule(0.2, 0));
  }
}
