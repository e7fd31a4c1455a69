package dev.sluice.loadtests.ingest;

import java.util.ArrayList;
import java.util.List;

/** The side-by-side table, as Markdown, with the run's setting above it and notes below. */
final class BenchmarkReport {
  /** How a figure compares with its target. */
  enum Verdict {
    PASS("pass"), FAIL("**FAIL**"), BASELINE("baseline"), REPORTED("reported"), NOT_MEASURED("not measured");

    final String text;

    Verdict(String text) {
      this.text = text;
    }

    static Verdict of(boolean pass) {
      return pass ? PASS : FAIL;
    }
  }

  record Row(String figure, String measured, String ratio, String target, Verdict verdict) {}

  private final List<String> setting = new ArrayList<>();
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();

  void setting(String line) {
    setting.add(line);
  }

  void row(String figure, String measured, String ratio, String target, Verdict verdict) {
    rows.add(new Row(figure, measured, ratio, target, verdict));
  }

  void note(String line) {
    notes.add(line);
  }

  List<Row> rows() {
    return List.copyOf(rows);
  }

  String markdown() {
    StringBuilder b = new StringBuilder("## Ingest benchmark\n\n");
    for (String s : setting) {
      b.append("- ").append(s).append('\n');
    }
    b.append("\n| Figure | Measured | Ratio | Target | Result |\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append("| ").append(cell(r.figure())).append(" | ").append(cell(r.measured())).append(" | ")
          .append(cell(r.ratio())).append(" | ").append(cell(r.target())).append(" | ").append(r.verdict().text)
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
