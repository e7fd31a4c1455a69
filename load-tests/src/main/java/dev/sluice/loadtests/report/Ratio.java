package dev.sluice.loadtests.report;

import io.vertx.core.json.JsonObject;

/**
 * One figure a benchmark suite defines, as data: what it compares, the value measured and the target it must meet.
 * Suites hand these to {@code ./sluice bench}, which prints all of them in one table.
 *
 * @param suite the benchmark it comes from (ingest, consumer, validation)
 * @param name what the figure compares, as the suite's own table names it
 * @param value the measured ratio (or, for {@link Comparison#REPORTED}, the measured figure)
 * @param comparison how {@code value} must compare with {@code target}
 * @param target the suite's target (NaN when only reported)
 * @param measured the figures behind the ratio, for people ("12,136 vs 42,922 events/s")
 */
public record Ratio(String suite, String name, double value, Comparison comparison, double target, String measured) {

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

  public static Ratio atLeast(String suite, String name, double value, double target, String measured) {
    return new Ratio(suite, name, value, Comparison.AT_LEAST, target, measured);
  }

  public static Ratio atMost(String suite, String name, double value, double target, String measured) {
    return new Ratio(suite, name, value, Comparison.AT_MOST, target, measured);
  }

  public static Ratio reported(String suite, String name, double value, String measured) {
    return new Ratio(suite, name, value, Comparison.REPORTED, Double.NaN, measured);
  }

  /** Whether the value meets the target; a reported figure, or a value that is not a number, never "passes". */
  public boolean passed() {
    if (!Double.isFinite(value)) {
      return false;
    }
    return switch (comparison) {
      case AT_LEAST -> value >= target;
      case AT_MOST -> value <= target;
      case REPORTED -> false;
    };
  }

  public boolean judged() {
    return comparison != Comparison.REPORTED;
  }

  public JsonObject toJson() {
    return new JsonObject().put("suite", suite).put("name", name).put("value", Double.isFinite(value) ? value : null)
        .put("comparison", comparison.name()).put("target", Double.isFinite(target) ? target : null)
        .put("measured", measured);
  }

  public static Ratio fromJson(JsonObject o) {
    Double value = o.getDouble("value");
    Double target = o.getDouble("target");
    return new Ratio(o.getString("suite"), o.getString("name"), value == null ? Double.NaN : value,
        Comparison.valueOf(o.getString("comparison")), target == null ? Double.NaN : target,
        o.getString("measured", ""));
  }
}
