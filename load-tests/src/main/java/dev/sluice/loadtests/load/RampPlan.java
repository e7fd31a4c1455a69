package dev.sluice.loadtests.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The ramp to destruction: steps of {@code stepDuration} at {@code startRate}, {@code startRate + stepRate}, ... up to
 * {@code maxRate}; a step passes when its error ratio and its p99 stay within the thresholds. The run stops at the
 * first step that fails (the destruction); the knee is the highest step that passed.
 */
public record RampPlan(double startRate, double stepRate, double maxRate, Duration stepDuration, Duration maxP99,
    double maxErrorRatio) {

  public RampPlan {
    if (!(startRate >= 1)) {
      throw new IllegalArgumentException("--ramp-start must be at least 1, was " + startRate);
    }
    if (!(stepRate >= 1)) {
      throw new IllegalArgumentException("--ramp-step must be at least 1, was " + stepRate);
    }
    if (!(maxRate >= startRate)) {
      throw new IllegalArgumentException("--ramp-max must be at least --ramp-start, was " + maxRate);
    }
    // Whole seconds: steps are judged on whole seconds of the per-second statistics.
    if (stepDuration.compareTo(Duration.ofSeconds(2)) < 0 || stepDuration.toMillisPart() != 0) {
      throw new IllegalArgumentException("--step-duration must be whole seconds, at least 2s, was "
          + stepDuration.toMillis() + " ms");
    }
    if (maxP99.isNegative() || maxP99.isZero()) {
      throw new IllegalArgumentException("--max-p99 must be positive");
    }
    if (!(maxErrorRatio >= 0 && maxErrorRatio < 1)) {
      throw new IllegalArgumentException("--max-errors must be in [0, 1), was " + maxErrorRatio);
    }
  }

  public static RampPlan defaults() {
    return new RampPlan(100, 100, 3000, Duration.ofSeconds(10), Duration.ofMillis(250), 0.01);
  }

  /** Number of steps: start, start + step, ... while at most maxRate. */
  public int levels() {
    return (int) Math.floor((maxRate - startRate) / stepRate) + 1;
  }

  /** The offered rate of each step, in order. */
  public List<Double> rates() {
    List<Double> rates = new ArrayList<>();
    for (int i = 0; i < levels(); i++) {
      rates.add(startRate + i * stepRate);
    }
    return rates;
  }

  /** The offered rate at {@code second} since the start; the last step's after the end. */
  public double rateAt(int second) {
    int level = (int) Math.min(levels() - 1, second / stepDuration.toSeconds());
    return startRate + Math.max(0, level) * stepRate;
  }

  public Duration totalDuration() {
    return stepDuration.multipliedBy(levels());
  }

  public long plannedRequests() {
    double seconds = stepDuration.toMillis() / 1000.0;
    return (long) Math.ceil(rates().stream().mapToDouble(r -> r * seconds).sum());
  }
}
