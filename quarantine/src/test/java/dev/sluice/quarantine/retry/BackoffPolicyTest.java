package dev.sluice.quarantine.retry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.Optional;
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

  /** A random source that always draws the lowest value of a range. */
  private static final RandomGenerator LOWEST = new RandomGenerator() {
    @Override
    public long nextLong() {
      return 0;
    }

    @Override
    public long nextLong(long bound) {
      return 0;
    }
  };

  /** A random source that always draws the highest value of a range. */
  private static final RandomGenerator HIGHEST = new RandomGenerator() {
    @Override
    public long nextLong() {
      return Long.MAX_VALUE;
    }

    @Override
    public long nextLong(long bound) {
      return bound - 1;
    }
  };

  @Test
  void extremesOfTheRandomSourceMapToTheBounds() {
    assertEquals(Duration.ZERO, policy.delayBeforeAttempt(3, LOWEST));
    assertEquals(Duration.ofMillis(200), policy.delayBeforeAttempt(3, HIGHEST));
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
    assertThrows(IllegalArgumentException.class, () -> policy.withMaxElapsed(Duration.ZERO));
  }

  @Test
  void decorrelatedDelaysGrowFromTheBaseWithinTheirBounds() {
    BackoffPolicy d = BackoffPolicy.decorrelated(Duration.ofMillis(100), Duration.ofMillis(5_000), 10, Optional.empty());
    assertEquals(Duration.ofMillis(300), d.ceilingBeforeAttempt(2));
    assertEquals(Duration.ofMillis(900), d.ceilingBeforeAttempt(3));
    assertEquals(Duration.ofMillis(5_000), d.ceilingBeforeAttempt(8));
    assertEquals(Duration.ofMillis(100), d.floorBeforeAttempt(5));
    RandomGenerator random = new SplittableRandom(3);
    Duration previous = Duration.ZERO;
    for (int attempt = 2; attempt <= 10; attempt++) {
      Duration next = d.delayBeforeAttempt(attempt, previous, random);
      long upper = Math.min(5_000, Math.max(100, previous.toMillis()) * 3);
      assertTrue(next.toMillis() >= 100 && next.toMillis() <= upper,
          next + " outside [100," + upper + "] after " + previous);
      previous = next;
    }
  }

  @Test
  void decorrelatedExtremesAreTheBaseAndThreeTimesThePreviousWait() {
    BackoffPolicy d = BackoffPolicy.decorrelated(Duration.ofMillis(100), Duration.ofMillis(1_000), 10, Optional.empty());
    assertEquals(Duration.ofMillis(100), d.delayBeforeAttempt(4, Duration.ofMillis(250), LOWEST));
    assertEquals(Duration.ofMillis(750), d.delayBeforeAttempt(4, Duration.ofMillis(250), HIGHEST));
    assertEquals(Duration.ofMillis(1_000), d.delayBeforeAttempt(4, Duration.ofMillis(900), HIGHEST), "capped");
  }

  /**
   * Property-style: for many random policies (both jitter kinds, with and without a time budget) and random handler
   * durations, a retry loop driven by {@link BackoffPolicy#next} only ever waits within the policy's bounds, never
   * makes more than {@code maxAttempts} attempts, and never starts an attempt after the time budget.
   */
  @Test
  void everyDelayStaysInBoundsAndAttemptsNeverExceedTheMaximumForRandomPolicies() {
    SplittableRandom seeds = new SplittableRandom(20_240_601);
    for (int run = 0; run < 5_000; run++) {
      SplittableRandom r = seeds.split();
      long base = 1 + r.nextLong(2_000);
      long cap = base + r.nextLong(60_000);
      double multiplier = 1.0 + r.nextDouble() * 4;
      int maxAttempts = 1 + r.nextInt(20);
      BackoffPolicy.Jitter jitter = r.nextBoolean() ? BackoffPolicy.Jitter.FULL : BackoffPolicy.Jitter.DECORRELATED;
      Optional<Duration> budget = r.nextBoolean() ? Optional.of(Duration.ofMillis(1 + r.nextLong(120_000)))
          : Optional.empty();
      BackoffPolicy p = new BackoffPolicy(Duration.ofMillis(base), multiplier, Duration.ofMillis(cap), maxAttempts,
          jitter, budget);
      String label = p + " run " + run;

      long clock = 0; // millis since the first attempt started: the fake clock a caller would read
      int attempts = 0;
      Duration lastDelay = Duration.ZERO;
      while (true) {
        attempts++;
        assertTrue(attempts <= maxAttempts, "attempt " + attempts + " > max for " + label);
        long attemptStart = clock;
        assertTrue(budget.isEmpty() || attemptStart <= budget.get().toMillis(),
            "attempt started at " + attemptStart + " ms, after the budget, for " + label);
        clock += r.nextLong(500); // the handler's time
        BackoffPolicy.Decision d = p.next(new BackoffPolicy.Progress(attempts, Duration.ofMillis(clock), lastDelay), r);
        if (d instanceof BackoffPolicy.GiveUp giveUp) {
          assertTrue(attempts == maxAttempts || giveUp.timeBudgetExhausted(), "gave up early for " + label);
          break;
        }
        Duration delay = ((BackoffPolicy.RetryAfter) d).delay();
        Duration floor = p.floorBeforeAttempt(attempts + 1);
        Duration ceiling = p.ceilingBeforeAttempt(attempts + 1);
        assertTrue(delay.compareTo(floor) >= 0 && delay.compareTo(ceiling) <= 0,
            delay + " outside [" + floor + "," + ceiling + "] before attempt " + (attempts + 1) + " for " + label);
        assertTrue(delay.toMillis() <= cap, "over the cap for " + label);
        lastDelay = delay;
        clock += delay.toMillis();
      }
    }
  }

  @Test
  void aTimeBudgetStopsRetriesBeforeTheAttemptCountDoes() {
    BackoffPolicy p = new BackoffPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(1), 100,
        BackoffPolicy.Jitter.FULL, Optional.of(Duration.ofSeconds(10)));
    assertEquals(new BackoffPolicy.GiveUp(true),
        p.next(new BackoffPolicy.Progress(3, Duration.ofMillis(9_500), Duration.ZERO), HIGHEST));
    assertEquals(new BackoffPolicy.RetryAfter(Duration.ofSeconds(1)),
        p.next(new BackoffPolicy.Progress(3, Duration.ofMillis(9_000), Duration.ZERO), HIGHEST));
    assertEquals(new BackoffPolicy.GiveUp(false),
        p.withMaxAttempts(3).next(new BackoffPolicy.Progress(3, Duration.ZERO, Duration.ZERO), HIGHEST));
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
