package dev.sluice.loadtests.report;

import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.method.Plan;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * One figure a benchmark suite defines, as data: what it compares, what was measured (a median with its spread), the
 * target it must meet and, where the figure compares a variant with its own ceiling, that ceiling. Suites hand these
 * to {@code ./sluice bench}, which prints all of them in one table.
 *
 * @param suite the benchmark it comes from (ingest, consumer, validation)
 * @param name what the figure compares, as the suite's own table names it
 * @param estimate the measured ratio (or, for {@link Comparison#REPORTED}, the measured figure): the median of its
 *     per-pair samples, their interquartile range and count
 * @param comparison how the median must compare with {@code target}
 * @param target the suite's target (NaN when only reported)
 * @param ceiling what the ratio cannot exceed when measured right, e.g. 1.0 for a variant over the same work done by
 *     a bare consumer (NaN when there is none)
 * @param measured the figures behind the ratio, for people ("12,136 vs 42,922 events/s")
 */
public record Ratio(String suite, String name, Estimate estimate, Comparison comparison, double target, double ceiling,
    String measured) {
  /** How far above its ceiling a median may be, from noise alone, before it counts as a measurement error. */
  public static final double CEILING_TOLERANCE = 0.05;

  /** How a value meets its target. */
  public enum Comparison {
    AT_LEAST(">="), AT_MOST("<="), REPORTED("");

    private final String symbol;

    Comparison(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }
  }

  /** What a figure says, in the order checked. */
  public enum Result {
    NOT_MEASURED("not measured"),
    REPORTED("reported"),
    ABOVE_CEILING("**above its ceiling: measurement error**"),
    SMOKE("smoke test: not judged"),
    TOO_WIDE("spread too wide to judge"),
    PASS("pass"),
    FAIL("**FAIL**");

    private final String text;

    Result(String text) {
      this.text = text;
    }

    public String text() {
      return text;
    }

    /** Whether the figure counts as pass or fail. */
    public boolean judged() {
      return this == PASS || this == FAIL;
    }
  }

  public static Ratio atLeast(String suite, String name, Estimate value, double target, String measured) {
    return new Ratio(suite, name, value, Comparison.AT_LEAST, target, Double.NaN, measured);
  }

  public static Ratio atMost(String suite, String name, Estimate value, double target, String measured) {
    return new Ratio(suite, name, value, Comparison.AT_MOST, target, Double.NaN, measured);
  }

  public static Ratio reported(String suite, String name, Estimate value, String measured) {
    return new Ratio(suite, name, value, Comparison.REPORTED, Double.NaN, Double.NaN, measured);
  }

  /** A figure measured once, not a median of pairs (a one-off check, or a figure derived from other suites). */
  public static Ratio atLeast(String suite, String name, double value, double target, String measured) {
    return atLeast(suite, name, Estimate.single(value), target, measured);
  }

  /** As {@link #atLeast(String, String, double, double, String)}. */
  public static Ratio atMost(String suite, String name, double value, double target, String measured) {
    return atMost(suite, name, Estimate.single(value), target, measured);
  }

  /** As {@link #atLeast(String, String, double, double, String)}. */
  public static Ratio reported(String suite, String name, double value, String measured) {
    return reported(suite, name, Estimate.single(value), measured);
  }

  /** The same figure, flagged as a measurement error when its median exceeds {@code ceiling} by more than 5 %. */
  public Ratio withCeiling(double ceiling) {
    return new Ratio(suite, name, estimate, comparison, target, ceiling, measured);
  }

  /** The median. */
  public double value() {
    return estimate.median();
  }

  /**
   * What the figure says: not measured; not judged in a smoke run (reported figures stay "reported"); above its
   * ceiling (a measurement error, whatever the target); reported only; not judged when its spread is wider than
   * {@link Plan#JUDGEABLE_SPREAD}; else pass or fail against the target.
   *
   * @param smoke whether the run was a smoke test ({@code --quick})
   */
  public Result result(boolean smoke) {
    if (!estimate.measured()) {
      return Result.NOT_MEASURED;
    }
    // A smoke run's short runs judge nothing, not even a ceiling: a 2 s pair 7 % over it is noise.
    if (smoke) {
      return comparison == Comparison.REPORTED ? Result.REPORTED : Result.SMOKE;
    }
    // Before "reported": a reported ratio over its own ceiling is as much a measurement error as a judged one.
    if (Double.isFinite(ceiling) && value() > ceiling * (1 + CEILING_TOLERANCE)) {
      return Result.ABOVE_CEILING;
    }
    if (comparison == Comparison.REPORTED) {
      return Result.REPORTED;
    }
    if (estimate.relativeSpread() > Plan.JUDGEABLE_SPREAD) {
      return Result.TOO_WIDE;
    }
    boolean pass = comparison == Comparison.AT_LEAST ? value() >= target : value() <= target;
    return pass ? Result.PASS : Result.FAIL;
  }

  public boolean judged() {
    return comparison != Comparison.REPORTED;
  }

  /** ">= 0.9" or "<= 0.25"; "-" when only reported. */
  public String targetText() {
    return judged() ? comparison.symbol() + " " + Estimate.format(target) : "-";
  }

  public JsonObject toJson() {
    JsonArray samples = new JsonArray();
    estimate.samples().forEach(samples::add);
    return new JsonObject().put("suite", suite).put("name", name).put("samples", samples)
        .put("comparison", comparison.name()).put("target", Double.isFinite(target) ? target : null)
        .put("ceiling", Double.isFinite(ceiling) ? ceiling : null).put("measured", measured);
  }

  public static Ratio fromJson(JsonObject o) {
    Double target = o.getDouble("target");
    Double ceiling = o.getDouble("ceiling");
    JsonArray array = o.getJsonArray("samples", new JsonArray());
    List<Double> samples = new ArrayList<>();
    for (int i = 0; i < array.size(); i++) {
      samples.add(array.getDouble(i));
    }
    return new Ratio(o.getString("suite"), o.getString("name"), Estimate.of(samples),
        Comparison.valueOf(o.getString("comparison")), target == null ? Double.NaN : target,
        ceiling == null ? Double.NaN : ceiling, o.getString("measured", ""));
  }
}
