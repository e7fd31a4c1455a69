package dev.sluice.console.jobs;

/**
 * When a job stops itself because its redriven events keep failing: more than {@code ratio} of the outcomes known so
 * far are "failed again", once at least {@code minOutcomes} outcomes are known. A wrong fix then floods the quarantine
 * with at most a few dozen items, not the whole selection.
 *
 * @param ratio the share of failed outcomes above which the job halts, in (0, 1]
 * @param minOutcomes how many outcomes (succeeded + failed again) must be known before the rule applies
 */
public record HaltRule(double ratio, long minOutcomes) {
  public static final double DEFAULT_RATIO = 0.2;
  public static final long DEFAULT_MIN_OUTCOMES = 50;
  public static final HaltRule DEFAULT = new HaltRule(DEFAULT_RATIO, DEFAULT_MIN_OUTCOMES);

  public HaltRule {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("sluice.console.jobs.halt.ratio must be in (0, 1], was " + ratio);
    }
    if (minOutcomes < 1) {
      throw new IllegalArgumentException("sluice.console.jobs.halt.min must be at least 1, was " + minOutcomes);
    }
  }

  public boolean shouldHalt(long succeeded, long failedAgain) {
    long outcomes = succeeded + failedAgain;
    return outcomes >= minOutcomes && failedAgain > ratio * outcomes;
  }
}
