package dev.sluice.loadtests.report;

import dev.sluice.loadtests.harness.Program;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A benchmark suite's side-by-side table, as Markdown, with the run's setting above it and notes below; and the
 * compared figures as {@link Ratio} data for {@code ./sluice bench}.
 */
public final class SuiteReport {
  /** How a figure compares with its target. */
  public enum Verdict {
    PASS("pass"), FAIL("**FAIL**"), BASELINE("baseline"), REPORTED("reported"), NOT_MEASURED("not measured");

    private final String text;

    Verdict(String text) {
      this.text = text;
    }

    public static Verdict of(boolean pass) {
      return pass ? PASS : FAIL;
    }

    public String text() {
      return text;
    }
  }

  /** One line of the table. */
  public record Row(String figure, String measured, String ratio, String target, Verdict verdict) {}

  private final String suite;
  private final String title;
  private final List<String> setting = new ArrayList<>();
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<Ratio> ratios = new ArrayList<>();

  /**
   * @param suite the suite's name in {@code ./sluice bench} (ingest, consumer...)
   * @param title the table's heading, e.g. "Ingest benchmark"
   */
  public SuiteReport(String suite, String title) {
    this.suite = suite;
    this.title = title;
  }

  public void setting(String line) {
    setting.add(line);
  }

  public void row(String figure, String measured, String ratio, String target, Verdict verdict) {
    rows.add(new Row(figure, measured, ratio, target, verdict));
  }

  /** A compared figure that passes when {@code ratio >= target}; also kept as a {@link Ratio}. */
  public void atLeast(String figure, String measured, double ratio, double target) {
    row(figure, measured, String.format("%.2f", ratio), String.format(">= %.1f", target), Verdict.of(ratio >= target));
    ratios.add(Ratio.atLeast(suite, figure, ratio, target, measured));
  }

  /** A figure shown as measured, without a target; also kept as a reported {@link Ratio}. */
  public void reported(String figure, String measured, double value) {
    row(figure, measured, "", "", Verdict.REPORTED);
    ratios.add(Ratio.reported(suite, figure, value, measured));
  }

  public void note(String line) {
    notes.add(line);
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The figures compared with {@link #atLeast} or {@link #reported}, for {@code ./sluice bench}. */
  public List<Ratio> ratios() {
    return List.copyOf(ratios);
  }

  public String markdown() {
    StringBuilder b = new StringBuilder("## ").append(title).append("\n\n");
    for (String s : setting) {
      b.append("- ").append(s).append('\n');
    }
    b.append("\n| Figure | Measured | Ratio | Target | Result |\n|---|---|---|---|---|\n");
    for (Row r : rows) {
      b.append("| ").append(cell(r.figure())).append(" | ").append(cell(r.measured())).append(" | ")
          .append(cell(r.ratio())).append(" | ").append(cell(r.target())).append(" | ").append(r.verdict().text())
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

  /**
   * Prints the table to {@code out} and writes it to {@code fileName} in {@code load-tests/target/} (found from where
   * {@code anchor} was loaded; else the working directory).
   */
  public void publish(PrintStream out, Class<?> anchor, String fileName) throws IOException {
    String markdown = markdown();
    out.println();
    out.println(markdown);
    Path file = Program.inTarget(anchor, fileName).orElse(Path.of(fileName));
    Files.writeString(file, markdown, StandardCharsets.UTF_8);
    out.println("written to " + file);
  }

  private static String cell(String s) {
    return s.replace("|", "\\|").replace("\n", " ");
  }
}
