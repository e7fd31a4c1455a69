package dev.sluice.loadtests.consumer;

import dev.sluice.loadtests.bench.Ratio;
import java.util.ArrayList;
import java.util.List;

/** The side-by-side table of the consumer benchmark, as Markdown, with the run's setting above it and notes below. */
final class ConsumerReport {
  record Row(String figure, String measured, String ratio, String target, String result) {}

  private final List<String> setting = new ArrayList<>();
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<Ratio> ratios = new ArrayList<>();

  void setting(String line) {
    setting.add(line);
  }

  void row(String figure, String measured, String ratio, String target, String result) {
    rows.add(new Row(figure, measured, ratio, target, result));
  }

  /** A compared figure: pass when {@code ratio >= target}. */
  void compared(String figure, String measured, double ratio, double target) {
    row(figure, measured, String.format("%.2f", ratio), String.format(">= %.1f", target),
        ratio >= target ? "pass" : "**FAIL**");
    ratios.add(Ratio.atLeast("consumer", figure, ratio, target, measured));
  }

  /** The compared figures as data, for {@code ./sluice bench}. */
  List<Ratio> ratios() {
    return List.copyOf(ratios);
  }

  void note(String line) {
    notes.add(line);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  String markdown() {
    StringBuilder b = new StringBuilder("## Consumer benchmark\n\n");
    for (String s : setting) {
      b.append("- ").append(s).append('\n');
    }
    b.append("\n| Figure | Measured | Ratio | Target | Result |\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append("| ").append(cell(r.figure())).append(" | ").append(cell(r.measured())).append(" | ")
          .append(cell(r.ratio())).append(" | ").append(cell(r.target())).append(" | ").append(r.result())
          .append(" |\n");
    }
    if (!notes.isEmpty()) {
      b.append('\n');
      for (String n : notes) {
        b.append("- ").append(n).append('\n');
      }
    }
    return b.toString();
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
