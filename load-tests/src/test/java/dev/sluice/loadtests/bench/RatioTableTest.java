package dev.sluice.loadtests.bench;

import dev.sluice.loadtests.report.Ratio;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RatioTableTest {
  private final Ratio batch = Ratio.atLeast("ingest", "(b) batch / raw", 0.73, 0.6, "55,761 vs 76,340");
  private final Ratio single = Ratio.atLeast("ingest", "(c) single | bare", 0.28, 0.5, "12,136 vs 42,922");
  private final Ratio cost = Ratio.atMost("ingest", "(d) cost", 0.03, 0.25, "");
  private final Ratio ops = Ratio.reported("validation", "validProduct ops/s", 680_000, "± 1");

  @Test
  void verdictsFollowTheComparison() {
    assertTrue(batch.passed());
    assertFalse(single.passed());
    assertTrue(cost.passed());
    assertFalse(Ratio.atMost("ingest", "x", 0.3, 0.25, "").passed());
    assertTrue(Ratio.atLeast("s", "at the target passes", 0.5, 0.5, "").passed());
    assertFalse(Ratio.atLeast("s", "not measured", Double.NaN, 0.5, "").passed());
    assertFalse(ops.judged());
  }

  @Test
  void oneRowPerRatioAndACountThatShowsTheRegression() {
    String md = RatioTable.markdown(List.of(batch, single, cost, ops), List.of());
    List<String> rows = md.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| Suite")).toList();
    assertEquals(4, rows.size());
    assertEquals("| ingest | (b) batch / raw | 0.73 | >= 0.60 | pass | 55,761 vs 76,340 |", rows.get(0));
    assertEquals("| ingest | (c) single \\| bare | 0.28 | >= 0.50 | **FAIL** | 12,136 vs 42,922 |", rows.get(1));
    assertEquals("| ingest | (d) cost | 0.03 | <= 0.25 | pass |  |", rows.get(2));
    assertEquals("| validation | validProduct ops/s | 680,000 | - | reported | ± 1 |", rows.get(3));
    assertTrue(md.contains("3 ratios judged: 2 pass, 1 fail."), md);
    assertTrue(RatioTable.regressed(List.of(batch, single), List.of()));
    assertFalse(RatioTable.regressed(List.of(batch, cost, ops), List.of()));
  }

  @Test
  void aSuiteThatDidNotFinishIsARegression() {
    String md = RatioTable.markdown(List.of(batch), List.of("consumer: stopped after 8 min"));
    assertTrue(md.contains("**not measured**: consumer: stopped after 8 min"), md);
    assertTrue(md.contains("1 suite(s) did not finish"), md);
    assertTrue(RatioTable.regressed(List.of(batch), List.of("consumer: stopped after 8 min")));
  }

  @Test
  void ratiosSurviveTheTripThroughJson() {
    for (Ratio r : List.of(batch, cost, ops, Ratio.atLeast("s", "n", Double.NaN, 0.5, "not measured"))) {
      Ratio back = Ratio.fromJson(r.toJson());
      assertEquals(r.toString(), back.toString());
    }
  }

  @Test
  void validationShareIsDerivedWhenBothSuitesRan() {
    List<Ratio> ratios = List.of(Ratio.reported("ingest", BenchMain.INGEST_SINGLE_RATE, 10_000, ""),
        Ratio.reported("validation", BenchMain.VALID_OPS, 500_000, ""));
    Ratio share = BenchMain.derived(ratios, 2).orElseThrow();
    // 2 µs per validation against 200 µs of machine time per event (2 cores / 10,000 events/s).
    assertEquals(0.01, share.value(), 1e-9);
    assertTrue(share.passed());
    assertTrue(BenchMain.derived(ratios.subList(0, 1), 2).isEmpty());
  }
}
