package dev.sluice.quarantine.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter, as in the AWS Architecture Blog's "Exponential Backoff and Jitter":
 * <ul>
 *   <li>{@link Jitter#FULL}: the wait before attempt {@code n} is uniform in
 *       {@code [0, min(maxInterval, initialInterval * multiplier^(n-2))]};
 *   <li>{@link Jitter#DECORRELATED}: the wait is uniform in {@code [initialInterval, min(maxInterval, previous *
 *       multiplier)]}, the previous wait being {@code initialInterval} before the first retry. With multiplier 3 this
 *       is AWS's {@code sleep = min(cap, random_between(base, sleep * 3))}.
 * </ul>
 * Attempts are bounded by {@code maxAttempts} and, optionally, by a time budget: no attempt starts later than
 * {@code maxElapsed} after the first one.
 *
 * <p>An immutable value in the Resilience4j manner: the random source and the current time are passed in by the
 * caller (who holds the injected {@link RandomGenerator} and {@link java.time.Clock}), so every decision is testable.
 *
 * @param maxAttempts total handler attempts, the first included (1 means no retry)
 * @param maxElapsed the time budget from the first attempt's start; empty for none
 */
public record BackoffPolicy(
    Duration initialInterval, double multiplier, Duration maxInterval, int maxAttempts, Jitter jitter,
    Optional<Duration> maxElapsed) {

  /** How a wait is drawn within its bounds. */
  public enum Jitter {
    /** Uniform between zero and the exponential ceiling: spreads a herd the most. */
    FULL,
    /** Uniform between the initial interval and the previous wait times the multiplier (AWS "decorrelated"). */
    DECORRELATED
  }

  public BackoffPolicy {
    Objects.requireNonNull(initialInterval, "initialInterval");
    Objects.requireNonNull(maxInterval, "maxInterval");
    Objects.requireNonNull(jitter, "jitter");
    Objects.requireNonNull(maxElapsed, "maxElapsed");
    if (initialInterval.isNegative() || initialInterval.isZero()) {
      throw new IllegalArgumentException("initial backoff interval must be positive");
    }
    if (maxInterval.compareTo(initialInterval) < 0) {
      throw new IllegalArgumentException("max backoff interval must be at least the initial interval");
    }
    if (!(multiplier >= 1.0) || Double.isInfinite(multiplier)) {
      throw new IllegalArgumentException("backoff multiplier must be a finite number >= 1");
    }
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1");
    }
    if (maxElapsed.isPresent() && (maxElapsed.get().isNegative() || maxElapsed.get().isZero())) {
      throw new IllegalArgumentException("max elapsed time must be positive");
    }
  }

  /** Full jitter and no time budget: the policy as it was before jitter kinds and budgets existed. */
  public BackoffPolicy(Duration initialInterval, double multiplier, Duration maxInterval, int maxAttempts) {
    this(initialInterval, multiplier, maxInterval, maxAttempts, Jitter.FULL, Optional.empty());
  }

  /** Production default for in-place retries: 5 attempts, 1 s doubling to at most 30 s, full jitter. */
  public static BackoffPolicy defaults() {
    return new BackoffPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 5);
  }

  /** Dev default: 5 attempts, 500 ms doubling to at most 4 s, so a failing event reaches the quarantine in < 8 s. */
  public static BackoffPolicy dev() {
    return new BackoffPolicy(Duration.ofMillis(500), 2.0, Duration.ofSeconds(4), 5);
  }

  /** AWS's decorrelated jitter: multiplier 3, waits in {@code [base, min(cap, previous * 3)]}. */
  public static BackoffPolicy decorrelated(Duration base, Duration cap, int maxAttempts, Optional<Duration> maxElapsed) {
    return new BackoffPolicy(base, 3.0, cap, maxAttempts, Jitter.DECORRELATED, maxElapsed);
  }

  public BackoffPolicy withJitter(Jitter newJitter) {
    return new BackoffPolicy(initialInterval, multiplier, maxInterval, maxAttempts, newJitter, maxElapsed);
  }

  public BackoffPolicy withMaxElapsed(Duration budget) {
    return new BackoffPolicy(initialInterval, multiplier, maxInterval, maxAttempts, jitter, Optional.of(budget));
  }

  public BackoffPolicy withMaxAttempts(int attempts) {
    return new BackoffPolicy(initialInterval, multiplier, maxInterval, attempts, jitter, maxElapsed);
  }

  /** Whether another attempt may follow {@code attemptsSoFar} failed ones, by count alone. */
  public boolean allowsAnotherAttempt(int attemptsSoFar) {
    return attemptsSoFar < maxAttempts;
  }

  /** The lower bound of the wait before a retry: zero for full jitter, the initial interval for decorrelated. */
  public Duration floorBeforeAttempt(int attempt) {
    requireRetry(attempt);
    return jitter == Jitter.FULL ? Duration.ZERO : initialInterval;
  }

  /**
   * The upper bound of the wait before attempt {@code attempt} (2 for the first retry): {@code initialInterval *
   * multiplier^(attempt-2)} for full jitter, {@code initialInterval * multiplier^(attempt-1)} for decorrelated (the
   * largest value its chain of waits can reach), both capped at {@code maxInterval}.
   */
  public Duration ceilingBeforeAttempt(int attempt) {
    requireRetry(attempt);
    int exponent = jitter == Jitter.FULL ? attempt - 2 : attempt - 1;
    double millis = initialInterval.toMillis() * Math.pow(multiplier, exponent);
    return millis >= maxInterval.toMillis() ? maxInterval : Duration.ofMillis((long) millis);
  }

  /**
   * The jittered wait before attempt {@code attempt}. Full jitter ignores {@code previousDelay}; decorrelated jitter
   * grows from it ({@link Duration#ZERO} or anything below the initial interval counts as the initial interval).
   * Always within {@code [floorBeforeAttempt, ceilingBeforeAttempt]} when the previous delay came from this policy.
   */
  public Duration delayBeforeAttempt(int attempt, Duration previousDelay, RandomGenerator random) {
    requireRetry(attempt);
    if (jitter == Jitter.FULL) {
      return Duration.ofMillis(uniform(0, ceilingBeforeAttempt(attempt).toMillis(), random));
    }
    long base = initialInterval.toMillis();
    long previous = Math.max(base, previousDelay.toMillis());
    double grown = previous * multiplier;
    long upper = grown >= maxInterval.toMillis() ? maxInterval.toMillis() : (long) grown;
    return Duration.ofMillis(uniform(base, Math.max(base, upper), random));
  }

  /** The wait before attempt {@code attempt} with no previous wait known (the first retry of a chain). */
  public Duration delayBeforeAttempt(int attempt, RandomGenerator random) {
    return delayBeforeAttempt(attempt, Duration.ZERO, random);
  }

  /** Where a chain of attempts stands after a failure: how many were made, since when, and the last wait. */
  public record Progress(int attempts, Duration elapsed, Duration lastDelay) {
    public Progress {
      Objects.requireNonNull(elapsed, "elapsed");
      Objects.requireNonNull(lastDelay, "lastDelay");
      if (attempts < 1) {
        throw new IllegalArgumentException("progress is reported after at least one attempt");
      }
    }
  }

  /** What to do after a failed attempt. */
  public sealed interface Decision {}

  /** Try again after this wait. */
  public record RetryAfter(Duration delay) implements Decision {}

  /** Stop: the attempts or the time budget are used up. */
  public record GiveUp(boolean timeBudgetExhausted) implements Decision {}

  /**
   * Decides after a failed attempt: give up when {@code maxAttempts} are used, or when the next attempt would start
   * after the time budget (elapsed, as measured by the caller's clock, plus the drawn wait); otherwise retry after
   * the drawn wait.
   */
  public Decision next(Progress progress, RandomGenerator random) {
    if (!allowsAnotherAttempt(progress.attempts())) {
      return new GiveUp(false);
    }
    Duration delay = delayBeforeAttempt(progress.attempts() + 1, progress.lastDelay(), random);
    if (maxElapsed.isPresent() && progress.elapsed().plus(delay).compareTo(maxElapsed.get()) > 0) {
      return new GiveUp(true);
    }
    return new RetryAfter(delay);
  }

  private static void requireRetry(int attempt) {
    if (attempt < 2) {
      throw new IllegalArgumentException("attempt 1 is never delayed; retries start at attempt 2");
    }
  }

  /** Uniform in {@code [low, high]}, both inclusive, using only {@code nextLong(bound)}. */
  private static long uniform(long low, long high, RandomGenerator random) {
    return high <= low ? low : low + random.nextLong(high - low + 1);
  }
}
