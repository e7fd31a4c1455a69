package dev.sluice.loadtests.method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class EstimateTest {
  @Test
  void fiveSamplesGiveTheSecondThirdAndFourthAsQuartilesAndMedian() {
    Estimate e = Estimate.of(List.of(0.29, 1.12, 0.92, 0.95, 0.90));
    assertEquals(0.92, e.median(), 1e-12);
    assertEquals(0.90, e.q1(), 1e-12);
    assertEquals(0.95, e.q3(), 1e-12);
    assertEquals(5, e.n());
    assertEquals(0.05 / 0.92, e.relativeSpread(), 1e-12);
    assertEquals(List.of(0.29, 1.12, 0.92, 0.95, 0.90), e.samples(), "kept in the order measured");
  }

  @Test
  void quartilesInterpolateBetweenSamples() {
    Estimate e = Estimate.of(List.of(1.0, 2.0, 3.0, 4.0));
    assertEquals(2.5, e.median(), 1e-12);
    assertEquals(1.75, e.q1(), 1e-12);
    assertEquals(3.25, e.q3(), 1e-12);
  }

  @Test
  void pairsAreRatiosRoundByRoundAndABaselineOfNothingIsLeftOut() {
    Estimate e = Estimate.ofPairs(List.of(10.0, 30.0, 8.0), List.of(20.0, 30.0, 0.0));
    assertEquals(List.of(0.5, 1.0), e.samples());
    assertThrows(IllegalArgumentException.class, () -> Estimate.ofPairs(List.of(1.0), List.of(1.0, 2.0)));
  }

  @Test
  void aCostThroughADecreasingFunctionKeepsItsQuartilesInOrder() {
    Estimate onOverOff = Estimate.of(List.of(0.9, 0.95, 1.0));
    Estimate cost = onOverOff.map(r -> 1 - r);
    assertEquals(0.05, cost.median(), 1e-12);
    assertEquals(0.025, cost.q1(), 1e-12);
    assertEquals(0.075, cost.q3(), 1e-12);
  }

  @Test
  void noSampleIsNotMeasuredAndASampleThatIsNotANumberIsRefused() {
    assertFalse(Estimate.of(List.of()).measured());
    assertFalse(Estimate.single(Double.NaN).measured());
    assertEquals("not measured", Estimate.NONE.describe("pairs"));
    assertThrows(IllegalArgumentException.class, () -> Estimate.of(List.of(1.0, Double.NaN)));
  }

  @Test
  void describedWithItsSpreadAndCount() {
    assertEquals("0.83 (IQR 0.82–0.89, 3 pairs)", Estimate.of(List.of(0.95, 0.83, 0.81)).describe("pairs"));
    assertEquals("0.50", Estimate.single(0.5).describe("pairs"));
  }
}
