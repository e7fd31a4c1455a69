package dev.sluice.loadtests.method;

import java.util.List;

/**
 * A variant's warm-up runs, unreported: JIT compilation, topic creation, first metadata fetches and connection pools
 * happen here, not in a measured run.
 *
 * @param rates each warm-up run's rate, in order
 * @param settled whether the last three (or both of two) agreed within the plan's share (false when only one ran)
 */
public record Warmup(List<Double> rates, boolean settled) {
  public Warmup {
    rates = List.copyOf(rates);
  }

  /**
   * Whether the last {@code window} rates differ by at most {@code within} of the largest of them: with a window of
   * three, a rate still climbing 10 % a run (17k, 19k, 21k) is not settled, though each neighbour is within 10 %.
   */
  static boolean settled(List<Double> rates, int window, double within) {
    if (window < 2 || rates.size() < window) {
      return false;
    }
    List<Double> last = rates.subList(rates.size() - window, rates.size());
    double max = last.stream().mapToDouble(Double::doubleValue).max().orElse(0);
    double min = last.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    return max > 0 && max - min <= within * max;
  }

  /** Three runs when the plan allows three or more warm-ups, else two. */
  static int window(Plan plan) {
    return Math.min(3, Math.max(2, plan.maxWarmups()));
  }
}
