package dev.sluice.loadtests.bench;

import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.Ratio.Result;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Every suite's ratios in one Markdown table (median, interquartile range, number of pairs, target, result), with a
 * last line that says whether anything regressed.
 */
public final class RatioTable {
  private RatioTable() {}

  /**
   * @param ratios in the order to print
   * @param problems suites that did not finish, and why; printed under the table
   * @param smoke whether this was a smoke run ({@code --quick}), whose figures are not judged
   */
  public static String markdown(List<Ratio> ratios, List<String> problems, boolean smoke) {
    StringBuilder b = new StringBuilder();
    if (smoke) {
      b.append("**Smoke test** (`--quick`): short runs and two rounds, to show that every suite runs; its figures are "
          + "not judged.\n\n");
    }
    b.append("| Suite | Ratio | Median | IQR | n | Target | Result | Measured |\n|---|---|---|---|---|---|---|---|\n");
    Map<Result, Integer> counts = new EnumMap<>(Result.class);
    for (Ratio r : ratios) {
      Result result = r.result(smoke);
      counts.merge(result, 1, Integer::sum);
      Estimate e = r.estimate();
      b.append("| ").append(cell(r.suite())).append(" | ").append(cell(r.name())).append(" | ")
          .append(Estimate.format(e.median())).append(" | ")
          .append(e.n() > 1 ? Estimate.format(e.q1()) + "–" + Estimate.format(e.q3()) : "-").append(" | ")
          .append(e.n()).append(" | ").append(r.targetText()).append(" | ").append(result.text()).append(" | ")
          .append(cell(r.measured())).append(" |\n");
    }
    b.append('\n');
    for (String p : problems) {
      b.append("- **not measured**: ").append(cell(p)).append('\n');
    }
    int pass = counts.getOrDefault(Result.PASS, 0);
    int fail = counts.getOrDefault(Result.FAIL, 0);
    b.append(String.format("%d ratios judged: %d pass, %d fail", pass + fail, pass, fail));
    appendCount(b, counts, Result.TOO_WIDE, "spread too wide to judge");
    appendCount(b, counts, Result.ABOVE_CEILING, "above its ceiling (measurement error)");
    appendCount(b, counts, Result.SMOKE, "not judged (smoke test)");
    appendCount(b, counts, Result.NOT_MEASURED, "not measured");
    if (!problems.isEmpty()) {
      b.append(String.format("; %d suite(s) did not finish", problems.size()));
    }
    b.append(".\n");
    return b.toString();
  }

  /** Whether the table shows a regression: a failed ratio, a measurement error, or a suite that did not finish. */
  public static boolean regressed(List<Ratio> ratios, List<String> problems, boolean smoke) {
    return !problems.isEmpty() || ratios.stream().map(r -> r.result(smoke))
        .anyMatch(r -> r == Result.FAIL || r == Result.ABOVE_CEILING);
  }

  private static void appendCount(StringBuilder b, Map<Result, Integer> counts, Result result, String text) {
    int n = counts.getOrDefault(result, 0);
    if (n > 0) {
      b.append("; ").append(n).append(' ').append(text);
    }
  }

  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
