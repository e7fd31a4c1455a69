package dev.sluice.loadtests.bench;

import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.report.Ratio;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code ./sluice bench --compare A.json B.json C.json}: the runs' medians side by side, for every ratio judged (pass
 * or fail) in all of them, and whether each stayed within ±15 % of the median of the runs' medians. A ratio that some
 * run could not judge (too wide, smoke, not measured) is listed but not counted.
 */
public final class BenchCompare {
  /** How far a run's median may sit from the median of all runs' medians. */
  public static final double STABLE_WITHIN = 0.15;

  private BenchCompare() {}

  /**
   * One ratio across the runs.
   *
   * @param deviation how far the run farthest from the median of the runs' medians lies from it (0.11: 11 %)
   * @param apart the highest run's median over the lowest's, less one (0.25: the highest is 25 % above the lowest)
   */
  record Line(String suite, String name, List<Optional<Ratio>> runs, boolean judgedInAll, double deviation,
      double apart) {
    boolean stable() {
      return judgedInAll && deviation <= STABLE_WITHIN;
    }
  }

  static List<Line> lines(List<BenchRun> runs) {
    Map<List<String>, List<Optional<Ratio>>> byName = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      for (Ratio r : runs.get(i).ratios()) {
        if (!r.judged()) {
          continue;
        }
        List<Optional<Ratio>> cells = byName.computeIfAbsent(List.of(r.suite(), r.name()), k -> {
          List<Optional<Ratio>> empty = new ArrayList<>();
          runs.forEach(x -> empty.add(Optional.empty()));
          return empty;
        });
        cells.set(i, Optional.of(r));
      }
    }
    List<Line> lines = new ArrayList<>();
    byName.forEach((key, cells) -> {
      boolean all = true;
      for (int i = 0; i < cells.size(); i++) {
        boolean smoke = runs.get(i).smoke();
        all &= cells.get(i).map(r -> r.result(smoke).judged()).orElse(false);
      }
      double deviation = Double.NaN;
      double apart = Double.NaN;
      if (all) {
        List<Double> medians = cells.stream().map(c -> c.orElseThrow().value()).toList();
        double center = Estimate.of(medians).median();
        deviation = medians.stream().mapToDouble(m -> Math.abs(m / center - 1)).max().orElse(Double.NaN);
        apart = medians.stream().mapToDouble(m -> m).max().orElseThrow()
            / medians.stream().mapToDouble(m -> m).min().orElseThrow() - 1;
      }
      lines.add(new Line(key.get(0), key.get(1), cells, all, deviation, apart));
    });
    return lines;
  }

  static String markdown(List<BenchRun> runs) {
    List<Line> lines = lines(runs);
    StringBuilder b = new StringBuilder("| Suite | Ratio |");
    for (int i = 1; i <= runs.size(); i++) {
      b.append(" Run ").append(i).append(" |");
    }
    b.append(" Largest deviation from the median of the runs | Highest run ÷ lowest | Stable (±15 %) |\n|---|---|");
    b.append("---|".repeat(runs.size())).append("---|---|---|\n");
    long stable = 0;
    long counted = 0;
    for (Line l : lines) {
      b.append("| ").append(l.suite()).append(" | ").append(l.name().replace("|", "\\|")).append(" |");
      for (int i = 0; i < runs.size(); i++) {
        boolean smoke = runs.get(i).smoke();
        b.append(' ').append(l.runs().get(i).map(r -> r.estimate().describe("pairs") + ", "
            + r.result(smoke).text()).orElse("absent")).append(" |");
      }
      if (l.judgedInAll()) {
        counted++;
        stable += l.stable() ? 1 : 0;
        b.append(String.format(" %.0f %% | %.2f | %s |%n", l.deviation() * 100, 1 + l.apart(),
            l.stable() ? "yes" : "**no**"));
      } else {
        b.append(" - | - | not judged in every run |\n");
      }
    }
    b.append(String.format("%n%d of %d ratios judged in every run stayed within ±15 %% of the median of the runs' "
        + "medians.%n", stable, counted));
    return b.toString();
  }

  /** Whether every ratio judged in all runs stayed within the bound. */
  static boolean allStable(List<BenchRun> runs) {
    return lines(runs).stream().filter(Line::judgedInAll).allMatch(Line::stable);
  }
}
