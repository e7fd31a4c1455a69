package dev.sluice.quarantine.retry;

import java.time.Duration;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with full jitter (as in the AWS Architecture Blog's "Exponential Backoff and Jitter"): the wait
 * before attempt {@code n} is uniform in {@code [0, min(maxInterval, initialInterval * multiplier^(n-2))]}.
 *
 * <p>An immutable value; the random source is passed in so that jitter is testable.
 *
 * @param maxAttempts total handler attempts, the first included (1 means no retry)
 */
public record BackoffPolicy(Duration initialInterval, double multiplier, Duration maxInterval, int maxAttempts) {

  public BackoffPolicy {
    Objects.requireNonNull(initialInterval, "initialInterval");
    Objects.requireNonNull(maxInterval, "maxInterval");
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
  }

  /** Production default: 5 attempts, 1 s doubling to at most 30 s. */
  public static BackoffPolicy defaults() {
    return new BackoffPolicy(Duration.ofSeconds(1), 2.0, Duration.ofSeconds(30), 5);
  }

  /** Dev default: 5 attempts, 500 ms doubling to at most 4 s, so a failing event reaches the quarantine in < 8 s. */
  public static BackoffPolicy dev() {
    return new BackoffPolicy(Duration.ofMillis(500), 2.0, Duration.ofSeconds(4), 5);
  }

  /** Whether another attempt may follow {@code attemptsSoFar} failed ones. */
  public boolean allowsAnotherAttempt(int attemptsSoFar) {
    return attemptsSoFar < maxAttempts;
  }

  /** The upper bound of the wait before attempt {@code attempt} (2 for the first retry): the exponential ceiling. */
  public Duration ceilingBeforeAttempt(int attempt) {
    if (attempt < 2) {
      throw new IllegalArgumentException("attempt 1 is never delayed; retries start at attempt 2");
    }
    double millis = initialInterval.toMillis() * Math.pow(multiplier, attempt - 2);
    return millis >= maxInterval.toMillis() ? maxInterval : Duration.ofMillis((long) millis);
  }

  /** The jittered wait before attempt {@code attempt}: uniform in {@code [0, ceilingBeforeAttempt(attempt)]}. */
  public Duration delayBeforeAttempt(int attempt, RandomGenerator random) {
    long ceiling = ceilingBeforeAttempt(attempt).toMillis();
    return Duration.ofMillis(random.nextLong(ceiling + 1));
  }
}
