package dev.sluice.quarantine.guard;

/**
 * When a run stops itself because too much of what it does fails: more than {@code ratio} of the outcomes known so far
 * are failures, once at least {@code minOutcomes} outcomes are known. A bulk redrive job halts when its redriven
 * events keep failing again (a wrong fix then floods the quarantine with at most a few dozen items, not the whole
 * selection); a replay halts when it quarantines too much of the history it reads.
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
      throw new IllegalArgumentException("ratio must be in (0, 1], was " + ratio);
    }
    if (minOutcomes < 1) {
      throw new IllegalArgumentException("the minimum of outcomes must be at least 1, was " + minOutcomes);
    }
  }

  /** @param failedAgain the failures among the outcomes; {@code succeeded} the rest */
  public boolean shouldHalt(long succeeded, long failedAgain) {
    long outcomes = succeeded + failedAgain;
    return outcomes >= minOutcomes && failedAgain > ratio * outcomes;
  }
}
