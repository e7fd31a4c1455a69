package dev.sluice.loadtests.method;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.Collectors;

/**
 * What a benchmark says about one figure: the median of its samples (per-pair ratios, or rates), the interquartile
 * range around it and how many samples it rests on. Quartiles interpolate linearly between order statistics (the
 * common "type 7" definition), so five samples give the 2nd, 3rd and 4th of them.
 *
 * @param median the middle sample
 * @param q1 the lower quartile
 * @param q3 the upper quartile
 * @param samples the samples, in the order measured (for people: a drift over the run shows in them)
 */
public record Estimate(double median, double q1, double q3, List<Double> samples) {
  /** No sample: every figure NaN. */
  public static final Estimate NONE = new Estimate(Double.NaN, Double.NaN, Double.NaN, List.of());

  public Estimate {
    samples = List.copyOf(samples);
  }

  /** @throws IllegalArgumentException when a sample is not a finite number */
  public static Estimate of(List<Double> samples) {
    if (samples.isEmpty()) {
      return NONE;
    }
    double[] sorted = samples.stream().mapToDouble(Double::doubleValue).toArray();
    for (double d : sorted) {
      if (!Double.isFinite(d)) {
        throw new IllegalArgumentException("a sample is not a finite number: " + samples);
      }
    }
    Arrays.sort(sorted);
    return new Estimate(quantile(sorted, 0.5), quantile(sorted, 0.25), quantile(sorted, 0.75), samples);
  }

  /** A figure that is not a median of several (a one-off check, a JMH score): no spread, one sample. */
  public static Estimate single(double value) {
    return Double.isFinite(value) ? new Estimate(value, value, value, List.of(value)) : NONE;
  }

  /** Per-pair ratios {@code measured[i] / baseline[i]}; a pair whose baseline is not positive is left out. */
  public static Estimate ofPairs(List<Double> measured, List<Double> baseline) {
    if (measured.size() != baseline.size()) {
      throw new IllegalArgumentException(measured.size() + " measured runs against " + baseline.size()
          + " baseline runs: not pairs");
    }
    List<Double> ratios = new ArrayList<>();
    for (int i = 0; i < measured.size(); i++) {
      if (baseline.get(i) > 0) {
        ratios.add(measured.get(i) / baseline.get(i));
      }
    }
    return of(ratios);
  }

  public int n() {
    return samples.size();
  }

  public boolean measured() {
    return !samples.isEmpty() && Double.isFinite(median);
  }

  /** The interquartile range over the median's magnitude: 0.1 means the middle half of the samples lie within 10 %. */
  public double relativeSpread() {
    if (!measured()) {
      return Double.NaN;
    }
    return median == 0 ? (q3 == q1 ? 0 : Double.POSITIVE_INFINITY) : (q3 - q1) / Math.abs(median);
  }

  /**
   * The same estimate through a monotonic function of each sample (e.g. a cost {@code 1 - ratio}); a decreasing one
   * swaps the quartiles, so that {@code q1 <= q3} still holds.
   */
  public Estimate map(DoubleUnaryOperator f) {
    if (!measured()) {
      return NONE;
    }
    return of(samples.stream().map(f::applyAsDouble).toList());
  }

  /** "0.83 (IQR 0.81–0.95, 5 pairs)" style, with the noun for what the samples are. */
  public String describe(String noun) {
    if (!measured()) {
      return "not measured";
    }
    if (n() == 1) {
      return format(median);
    }
    return String.format("%s (IQR %s–%s, %d %s)", format(median), format(q1), format(q3), n(), noun);
  }

  /** The samples as measured, in order: "(0.95 / 0.83 / 0.81)". */
  public String samplesText() {
    return samples.stream().map(Estimate::format).collect(Collectors.joining(" / ", "(", ")"));
  }

  public static String format(double v) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    if (Math.abs(v) >= 1000) {
      return String.format("%,.0f", v);
    }
    return String.format("%.2f", v);
  }

  private static double quantile(double[] sorted, double p) {
    double h = (sorted.length - 1) * p;
    int lo = (int) Math.floor(h);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
  }
}
