package dev.sluice.loadtests.report;

import dev.sluice.loadtests.harness.Program;
import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.method.Results;
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
  /** How a figure compares with its target, for rows that are not {@link Ratio}s (baselines, one-off checks). */
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
  public record Row(String figure, String measured, String ratio, String target, String result) {}

  private final String suite;
  private final String title;
  private final boolean smoke;
  private final List<String> setting = new ArrayList<>();
  private final List<Row> rows = new ArrayList<>();
  private final List<String> notes = new ArrayList<>();
  private final List<Ratio> ratios = new ArrayList<>();

  /**
   * @param suite the suite's name in {@code ./sluice bench} (ingest, consumer...)
   * @param title the table's heading, e.g. "Ingest benchmark"
   * @param smoke whether this is a smoke run ({@code --quick}): its ratios are shown, not judged
   */
  public SuiteReport(String suite, String title, boolean smoke) {
    this.suite = suite;
    this.title = title;
    this.smoke = smoke;
  }

  public void setting(String line) {
    setting.add(line);
  }

  public void row(String figure, String measured, String ratio, String target, Verdict verdict) {
    rows.add(new Row(figure, measured, ratio, target, verdict.text()));
  }

  /** A figure with its target, judged as {@link Ratio#result} says; also kept for {@code ./sluice bench}. */
  public void add(Ratio ratio) {
    rows.add(new Row(ratio.name(), ratio.measured(), ratio.estimate().describe("pairs"), ratio.targetText(),
        ratio.result(smoke).text()));
    ratios.add(ratio);
  }

  /** A compared figure that passes when its median {@code >= target}. */
  public void atLeast(String figure, String measured, Estimate ratio, double target) {
    add(Ratio.atLeast(suite, figure, ratio, target, measured));
  }

  /**
   * As {@link #atLeast(String, String, Estimate, double)}, for a variant compared with its own ceiling (the same
   * work without Sluice): a median above {@code ceiling} is a measurement error, not a pass.
   */
  public void atLeast(String figure, String measured, Estimate ratio, double target, double ceiling) {
    add(Ratio.atLeast(suite, figure, ratio, target, measured).withCeiling(ceiling));
  }

  /** A figure shown as measured, without a target. */
  public void reported(String figure, String measured, Estimate value) {
    add(Ratio.reported(suite, figure, value, measured));
  }

  /** A figure measured once, shown without a target. */
  public void reported(String figure, String measured, double value) {
    reported(figure, measured, Estimate.single(value));
  }

  /** How the suite measured, as a line of its setting. */
  public void method(Results results) {
    setting("Method: " + results.describe() + (smoke ? "; a smoke test (--quick): no figure is judged" : ""));
  }

  public boolean smoke() {
    return smoke;
  }

  public void note(String line) {
    notes.add(line);
  }

  public List<Row> rows() {
    return List.copyOf(rows);
  }

  /** The figures added as {@link Ratio}s, for {@code ./sluice bench}. */
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
