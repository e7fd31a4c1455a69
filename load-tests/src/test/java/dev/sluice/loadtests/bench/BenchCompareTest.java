package dev.sluice.loadtests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.report.Ratio;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCompareTest {
  private static Ratio happy(double median) {
    return Ratio.atLeast("peers", "happy path", Estimate.of(List.of(median - 0.01, median, median + 0.01)), 0.9, "");
  }

  private static BenchRun run(Ratio... ratios) {
    return new BenchRun(Path.of("bench.json"), false, List.of(ratios));
  }

  @Test
  void mediansWithinFifteenPercentOfTheirMedianAreStable() {
    List<BenchRun> runs = List.of(run(happy(0.80)), run(happy(0.90)), run(happy(1.00)));
    BenchCompare.Line line = BenchCompare.lines(runs).get(0);
    assertEquals(0.111, line.deviation(), 0.001, "0.80 and 1.00 are 11 % from 0.90");
    assertEquals(0.25, line.apart(), 0.001, "1.00 is 25 % above 0.80");
    assertTrue(BenchCompare.markdown(runs).contains("| 11 % | 1.25 | yes |"), BenchCompare.markdown(runs));
    assertTrue(line.stable());
    assertTrue(BenchCompare.allStable(runs));
  }

  @Test
  void oneRunFarFromTheOthersIsNotStable() {
    List<BenchRun> runs = List.of(run(happy(0.25)), run(happy(0.90)), run(happy(0.95)));
    assertFalse(BenchCompare.allStable(runs));
    assertTrue(BenchCompare.markdown(runs).contains("| **no** |"), BenchCompare.markdown(runs));
  }

  @Test
  void aRatioNotJudgedInEveryRunIsListedButNotCounted() {
    Ratio wide = Ratio.atLeast("peers", "happy path", Estimate.of(List.of(0.3, 0.6, 0.9)), 0.9, "");
    List<BenchRun> runs = List.of(run(happy(0.9)), run(wide), run(happy(0.5)));
    assertTrue(BenchCompare.allStable(runs), "the too-wide run makes the ratio uncounted");
    String md = BenchCompare.markdown(runs);
    assertTrue(md.contains("not judged in every run"), md);
    assertTrue(md.contains("0 of 0 ratios"), md);
  }

  @Test
  void runsAreReadBackAsWritten(@TempDir Path dir) throws Exception {
    Path file = BenchRun.jsonBeside(dir.resolve("bench.md"));
    assertEquals(dir.resolve("bench.json"), file);
    Files.writeString(file, BenchRun.toJson(List.of(happy(0.9)), true).encode());
    BenchRun back = BenchRun.read(file);
    assertTrue(back.smoke());
    assertEquals(happy(0.9).toString(), back.ratios().get(0).toString());
  }
}
