package dev.sluice.loadtests.method;

/**
 * How a suite measures: how many interleaved rounds, how it warms each variant up, and when a spread is too wide to
 * judge.
 *
 * @param rounds how many times every variant runs, interleaved; each compared pair gives one ratio per round
 * @param minWarmups warm-up runs per variant, at least (unreported)
 * @param maxWarmups warm-up runs per variant, at most: a variant that has not settled by then is measured anyway,
 *     and the report says so
 * @param settledWithin the warm-up ends once the last three warm-up rates (or two, when at most two are allowed)
 *     differ by at most this share of the largest
 * @param smoke a smoke test ({@code --quick}): every figure is printed, none is judged
 */
public record Plan(int rounds, int minWarmups, int maxWarmups, double settledWithin, boolean smoke) {
  /**
   * The widest relative interquartile range a judged figure may have: wider, and the median could move more than
   * ±15 % from run to run, so the figure is shown but neither passes nor fails.
   */
  public static final double JUDGEABLE_SPREAD = 0.25;

  public Plan {
    if (rounds < 1 || minWarmups < 0 || maxWarmups < minWarmups || settledWithin <= 0 || settledWithin >= 1) {
      throw new IllegalArgumentException("rounds >= 1, 0 <= minWarmups <= maxWarmups, 0 < settledWithin < 1: "
          + rounds + ", " + minWarmups + ", " + maxWarmups + ", " + settledWithin);
    }
  }

  /**
   * The full method: six interleaved rounds, warm-ups until three in a row agree within 10 % (three to seven).
   *
   * <p>Six, an even number, so that every pair runs as often in one order as in the other: the later of two
   * variants that write much to the broker tends to run a few percent slower, and over five rounds (three in one
   * order, two in the other) the ingest suite's median sat in the majority order's mode. Three in a row, because a
   * rate that climbs 10 % from run to run still has two neighbours within 10 % of each other.
   */
  public static Plan full() {
    return new Plan(6, 3, 7, 0.10, false);
  }

  /** {@code --quick}: two rounds, one warm-up each; a smoke test whose figures are not judged. */
  public static Plan quick() {
    return new Plan(2, 1, 1, 0.10, true);
  }

  public static Plan of(boolean quick) {
    return quick ? quick() : full();
  }

  public Plan withRounds(int n) {
    return new Plan(n, minWarmups, maxWarmups, settledWithin, smoke);
  }
}
