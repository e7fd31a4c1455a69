package dev.sluice.loadtests.method;

import java.util.List;

/**
 * A variant's warm-up runs, unreported: JIT compilation, topic creation, first metadata fetches and connection pools
 * happen here, not in a measured run.
 *
 * @param rates each warm-up run's rate, in order
 * @param settled whether the last two agreed within the plan's share (false also when only one ran)
 */
public record Warmup(List<Double> rates, boolean settled) {
  public Warmup {
    rates = List.copyOf(rates);
  }

  /** Whether the last two rates differ by at most {@code within} of the larger one. */
  static boolean settled(List<Double> rates, double within) {
    if (rates.size() < 2) {
      return false;
    }
    double a = rates.get(rates.size() - 2);
    double b = rates.get(rates.size() - 1);
    double larger = Math.max(a, b);
    return larger > 0 && Math.abs(a - b) <= within * larger;
  }
}
