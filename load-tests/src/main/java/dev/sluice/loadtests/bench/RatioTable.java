package dev.sluice.loadtests.bench;

import dev.sluice.loadtests.report.Ratio;
import java.util.List;

/** Every suite's ratios in one Markdown table, with a last line that says whether anything regressed. */
public final class RatioTable {
  private RatioTable() {}

  /**
   * @param ratios in the order to print
   * @param problems suites that did not finish, and why; printed under the table
   */
  public static String markdown(List<Ratio> ratios, List<String> problems) {
    StringBuilder b = new StringBuilder("| Suite | Ratio | Value | Target | Result | Measured |\n"
        + "|---|---|---|---|---|---|\n");
    long judged = 0;
    long failed = 0;
    for (Ratio r : ratios) {
      String result;
      if (!r.judged()) {
        result = "reported";
      } else if (r.passed()) {
        result = "pass";
        judged++;
      } else {
        result = "**FAIL**";
        judged++;
        failed++;
      }
      b.append("| ").append(cell(r.suite())).append(" | ").append(cell(r.name())).append(" | ")
          .append(number(r.value())).append(" | ")
          .append(r.judged() ? r.comparison().symbol() + " " + number(r.target()) : "-").append(" | ")
          .append(result).append(" | ").append(cell(r.measured())).append(" |\n");
    }
    b.append('\n');
    for (String p : problems) {
      b.append("- **not measured**: ").append(cell(p)).append('\n');
    }
    b.append(String.format("%d ratios judged: %d pass, %d fail%s.%n", judged, judged - failed, failed,
        problems.isEmpty() ? "" : String.format("; %d suite(s) did not finish", problems.size())));
    return b.toString();
  }

  /** Whether the table shows a regression: a failed ratio or a suite that did not finish. */
  public static boolean regressed(List<Ratio> ratios, List<String> problems) {
    return !problems.isEmpty() || ratios.stream().anyMatch(r -> r.judged() && !r.passed());
  }

  static String number(double v) {
    if (!Double.isFinite(v)) {
      return "-";
    }
    if (Math.abs(v) >= 1000) {
      return String.format("%,.0f", v);
    }
    return String.format("%.2f", v);
  }

  private static String cell(String s) {
    return s == null ? "" : s.replace("|", "\\|").replace("\n", " ");
  }
}
