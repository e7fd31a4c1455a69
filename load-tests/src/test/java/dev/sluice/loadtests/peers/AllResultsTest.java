package dev.sluice.loadtests.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.loadtests.method.Plan;
import dev.sluice.loadtests.method.Results;
import dev.sluice.loadtests.method.Warmup;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AllResultsTest {
  private static Results group(Plan plan, String variant, long gcs, Warmup warmup) {
    return new Results(plan, Map.of(variant, List.of(1.0, 2.0)), Map.of(variant, List.of(gcs, gcs)),
        Map.of(variant, warmup));
  }

  @Test
  void everyGroupsVariantsAreKeptWithTheirGcsAndWarmUps() {
    Plan plan = Plan.full().withRounds(2);
    Results all = AllResults.of(List.of(
        group(plan, "(1) A", 3, new Warmup(List.of(10.0, 10.0), true)),
        group(plan, "(4) B", 7, new Warmup(List.of(10.0, 30.0, 50.0), false))));
    assertEquals(List.of(1.0, 2.0), all.rates("(1) A"));
    assertEquals(List.of(1.0, 2.0), all.rates("(4) B"));
    assertEquals(3, all.fewestGcs(), "the fewest over every group's runs");
    assertEquals(List.of("(4) B"), all.unsettled());
    assertTrue(all.describe().contains("2 to 3 warm-up run(s)"), all.describe());
  }

  @Test
  void groupsOfDifferentPlansOrSharingAVariantCannotBeCombined() {
    Warmup w = new Warmup(List.of(1.0, 1.0), true);
    assertThrows(IllegalArgumentException.class, () -> AllResults.of(List.of(
        group(Plan.full(), "A", 1, w), group(Plan.quick(), "B", 1, w))));
    assertThrows(IllegalArgumentException.class, () -> AllResults.of(List.of(
        group(Plan.full(), "A", 1, w), group(Plan.full(), "A", 1, w))));
    assertThrows(IllegalArgumentException.class, () -> AllResults.of(List.of()));
  }
}
