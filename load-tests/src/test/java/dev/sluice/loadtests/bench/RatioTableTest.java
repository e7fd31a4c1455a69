package dev.sluice.loadtests.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.method.Estimate;
import dev.sluice.loadtests.report.Ratio;
import dev.sluice.loadtests.report.Ratio.Result;
import java.util.List;
import org.junit.jupiter.api.Test;

class RatioTableTest {
  private final Ratio batch = Ratio.atLeast("ingest", "(b) batch / raw", pairs(0.70, 0.73, 0.75), 0.6,
      "55,761 vs 76,340").withCeiling(1.0);
  private final Ratio single = Ratio.atLeast("ingest", "(c) single | bare", pairs(0.27, 0.28, 0.29), 0.5,
      "12,136 vs 42,922");
  private final Ratio cost = Ratio.atMost("ingest", "(d) cost", Estimate.single(0.03), 0.25, "");
  private final Ratio ops = Ratio.reported("validation", "validProduct ops/s", 680_000, "± 1");

  private static Estimate pairs(Double... samples) {
    return Estimate.of(List.of(samples));
  }

  @Test
  void resultsFollowTheComparison() {
    assertEquals(Result.PASS, batch.result(false));
    assertEquals(Result.FAIL, single.result(false));
    assertEquals(Result.PASS, cost.result(false));
    assertEquals(Result.FAIL, Ratio.atMost("ingest", "x", 0.3, 0.25, "").result(false));
    assertEquals(Result.PASS, Ratio.atLeast("s", "at the target passes", 0.5, 0.5, "").result(false));
    assertEquals(Result.NOT_MEASURED, Ratio.atLeast("s", "not measured", Double.NaN, 0.5, "").result(false));
    assertEquals(Result.REPORTED, ops.result(false));
  }

  @Test
  void aSpreadWiderThanAQuarterOfTheMedianIsNotJudged() {
    // IQR 0.5..1.0 around a median of 0.9: the median could land anywhere in that band on the next run.
    Ratio wide = Ratio.atLeast("peers", "parked", pairs(0.29, 0.5, 0.9, 1.0, 1.1), 0.9, "");
    assertEquals(Result.TOO_WIDE, wide.result(false));
    Ratio narrow = Ratio.atLeast("peers", "parked", pairs(0.29, 0.88, 0.9, 0.92, 1.1), 0.9, "");
    assertEquals(Result.PASS, narrow.result(false), "one outlier each side leaves the middle half narrow");
  }

  @Test
  void aVariantAboveItsCeilingIsAMeasurementErrorNotAPass() {
    Ratio above = Ratio.atLeast("ingest", "(b) batch / raw", pairs(1.4, 1.5, 1.6), 0.6, "").withCeiling(1.0);
    assertEquals(Result.ABOVE_CEILING, above.result(false));
    assertEquals(Result.SMOKE, above.result(true), "a smoke run's short runs judge no ceiling either");
    Ratio withinNoise = Ratio.atLeast("peers", "parked", pairs(1.02, 1.03, 1.04), 0.9, "").withCeiling(1.0);
    assertEquals(Result.PASS, withinNoise.result(false), "3 % above the ceiling is noise, not an error");
    Ratio reportedAbove = Ratio.reported("consumer", "wrapper / bare", pairs(2.4, 2.5, 2.6), "").withCeiling(1.0);
    assertEquals(Result.ABOVE_CEILING, reportedAbove.result(false), "a reported ratio has a ceiling too");
    assertEquals(Result.REPORTED, reportedAbove.result(true));
    assertTrue(RatioTable.regressed(List.of(batch, above), List.of(), false));
  }

  @Test
  void aSmokeRunJudgesNothingAndSaysSo() {
    assertEquals(Result.SMOKE, single.result(true));
    String md = RatioTable.markdown(List.of(batch, single, ops), List.of(), true);
    assertTrue(md.startsWith("**Smoke test**"), md);
    assertTrue(md.contains("0 ratios judged: 0 pass, 0 fail; 2 not judged (smoke test)."), md);
    assertFalse(RatioTable.regressed(List.of(batch, single), List.of(), true));
  }

  @Test
  void oneRowPerRatioWithMedianSpreadAndPairs() {
    String md = RatioTable.markdown(List.of(batch, single, cost, ops), List.of(), false);
    List<String> rows = md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Suite")).toList();
    assertEquals(4, rows.size());
    assertEquals("| ingest | (b) batch / raw | 0.73 | 0.72–0.74 | 3 | >= 0.60 | pass | 55,761 vs 76,340 |",
        rows.get(0));
    assertEquals("| ingest | (c) single \\| bare | 0.28 | 0.28–0.29 | 3 | >= 0.50 | **FAIL** | 12,136 vs 42,922 |",
        rows.get(1));
    assertEquals("| ingest | (d) cost | 0.03 | - | 1 | <= 0.25 | pass |  |", rows.get(2));
    assertEquals("| validation | validProduct ops/s | 680,000 | - | 1 | - | reported | ± 1 |", rows.get(3));
    assertTrue(md.contains("3 ratios judged: 2 pass, 1 fail."), md);
    assertTrue(RatioTable.regressed(List.of(batch, single), List.of(), false));
    assertFalse(RatioTable.regressed(List.of(batch, cost, ops), List.of(), false));
  }

  @Test
  void aSuiteThatDidNotFinishIsARegression() {
    String md = RatioTable.markdown(List.of(batch), List.of("consumer: stopped after 8 min"), false);
    assertTrue(md.contains("**not measured**: consumer: stopped after 8 min"), md);
    assertTrue(md.contains("1 suite(s) did not finish"), md);
    assertTrue(RatioTable.regressed(List.of(batch), List.of("consumer: stopped after 8 min"), true));
  }

  @Test
  void ratiosSurviveTheTripThroughJson() {
    for (Ratio r : List.of(batch, cost, ops, Ratio.atLeast("s", "n", Double.NaN, 0.5, "not measured"))) {
      Ratio back = Ratio.fromJson(r.toJson());
      assertEquals(r.toString(), back.toString());
    }
  }

  @Test
  void validationShareIsDerivedAndReportedWhenBothSuitesRan() {
    List<Ratio> ratios = List.of(Ratio.reported("ingest", BenchMain.INGEST_SINGLE_RATE, 10_000, ""),
        Ratio.reported("validation", BenchMain.VALID_OPS, 500_000, ""));
    Ratio share = BenchMain.derived(ratios, 2).orElseThrow();
    // 2 µs per validation against 200 µs of machine time per event (2 cores / 10,000 events/s).
    assertEquals(0.01, share.value(), 1e-9);
    // Two absolute rates from different JVMs are not a paired ratio: shown, never judged or compared across runs.
    assertEquals(Result.REPORTED, share.result(false));
    assertFalse(share.judged());
    assertTrue(share.measured().contains("2.0 µs vs 200 µs"), share.measured());
    assertTrue(BenchMain.derived(ratios.subList(0, 1), 2).isEmpty());
  }
}
