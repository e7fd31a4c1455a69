package dev.sluice.loadtests.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.loadtests.method.Plan;
import java.util.List;
import org.junit.jupiter.api.Test;

class PerRunTest {
  @Test
  void theMeasuredRunsAreTheLastOnesAfterTheWarmUps() {
    PerRun writes = new PerRun();
    // Two warm-ups (a cold one at 100), then three rounds.
    List.of(100.0, 900.0, 1_000.0, 1_200.0, 1_100.0).forEach(writes::add);
    Plan plan = new Plan(3, 2, 6, 0.10, false);
    assertEquals(List.of(1_000.0, 1_200.0, 1_100.0), writes.measured(plan).samples());
    assertEquals(1_100.0, writes.measured(plan).median(), 1e-9);
    assertEquals(5, writes.all().size());
  }

  @Test
  void fewerRunsThanRoundsIsAMistakeNotAFigure() {
    PerRun writes = new PerRun();
    writes.add(1.0);
    assertThrows(IllegalStateException.class, () -> writes.measured(Plan.quick()));
  }
}
