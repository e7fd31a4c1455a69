package dev.sluice.quarantine.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.Test;

class BackoffPolicyTest {
  private final BackoffPolicy policy = new BackoffPolicy(Duration.ofMillis(100), 2.0, Duration.ofMillis(1000), 6);

  @Test
  void ceilingGrowsExponentiallyUpToTheCap() {
    assertEquals(Duration.ofMillis(100), policy.ceilingBeforeAttempt(2));
    assertEquals(Duration.ofMillis(200), policy.ceilingBeforeAttempt(3));
    assertEquals(Duration.ofMillis(400), policy.ceilingBeforeAttempt(4));
    assertEquals(Duration.ofMillis(800), policy.ceilingBeforeAttempt(5));
    assertEquals(Duration.ofMillis(1000), policy.ceilingBeforeAttempt(6));
    assertEquals(Duration.ofMillis(1000), policy.ceilingBeforeAttempt(60), "no overflow far past the cap");
  }

  @Test
  void everyJitteredDelayStaysWithinZeroAndItsCeiling() {
    RandomGenerator random = new SplittableRandom(42);
    for (int attempt = 2; attempt <= 12; attempt++) {
      long ceiling = policy.ceilingBeforeAttempt(attempt).toMillis();
      for (int i = 0; i < 2_000; i++) {
        long d = policy.delayBeforeAttempt(attempt, random).toMillis();
        assertTrue(d >= 0 && d <= ceiling, "delay " + d + " outside [0," + ceiling + "] at attempt " + attempt);
      }
    }
  }

  @Test
  void jitterUsesTheWholeRangeRatherThanAFixedValue() {
    RandomGenerator random = new SplittableRandom(7);
    Set<Long> seen = new HashSet<>();
    for (int i = 0; i < 500; i++) {
      seen.add(policy.delayBeforeAttempt(4, random).toMillis());
    }
    assertTrue(seen.size() > 100, "full jitter spreads delays, saw only " + seen.size() + " values");
    assertTrue(seen.contains(0L) || seen.stream().anyMatch(d -> d < 40), "low end of the range is reached");
    assertTrue(seen.stream().anyMatch(d -> d > 360), "high end of the range is reached");
  }

  @Test
  void extremesOfTheRandomSourceMapToTheBounds() {
    RandomGenerator lowest = new RandomGenerator() {
      @Override
      public long nextLong() {
        return 0;
      }

      @Override
      public long nextLong(long bound) {
        return 0;
      }
    };
    RandomGenerator highest = new RandomGenerator() {
      @Override
      public long nextLong() {
        return Long.MAX_VALUE;
      }

      @Override
      public long nextLong(long bound) {
        return bound - 1;
      }
    };
    assertEquals(Duration.ZERO, policy.delayBeforeAttempt(3, lowest));
    assertEquals(Duration.ofMillis(200), policy.delayBeforeAttempt(3, highest));
  }

  @Test
  void attemptsNeverExceedTheMaximum() {
    int attempts = 1;
    while (policy.allowsAnotherAttempt(attempts)) {
      attempts++;
    }
    assertEquals(6, attempts);
    assertFalse(new BackoffPolicy(Duration.ofMillis(1), 1.0, Duration.ofMillis(1), 1).allowsAnotherAttempt(1));
  }

  @Test
  void invalidPoliciesAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> new BackoffPolicy(Duration.ZERO, 2, Duration.ofSeconds(1), 3));
    assertThrows(IllegalArgumentException.class,
        () -> new BackoffPolicy(Duration.ofSeconds(2), 2, Duration.ofSeconds(1), 3));
    assertThrows(IllegalArgumentException.class,
        () -> new BackoffPolicy(Duration.ofSeconds(1), 0.5, Duration.ofSeconds(1), 3));
    assertThrows(IllegalArgumentException.class,
        () -> new BackoffPolicy(Duration.ofSeconds(1), 2, Duration.ofSeconds(1), 0));
    assertThrows(IllegalArgumentException.class, () -> policy.ceilingBeforeAttempt(1));
  }

  @Test
  void devPolicyQuarantinesWithinTenSecondsEvenInTheWorstCase() {
    BackoffPolicy dev = BackoffPolicy.dev();
    long worst = 0;
    for (int attempt = 2; attempt <= dev.maxAttempts(); attempt++) {
      worst += dev.ceilingBeforeAttempt(attempt).toMillis();
    }
    assertTrue(worst < 10_000, "worst-case total wait " + worst + " ms");
  }
}
