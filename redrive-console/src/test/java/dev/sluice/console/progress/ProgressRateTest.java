package dev.sluice.console.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ProgressRateTest {
  private static final long S = 1_000_000_000L;

  @Test
  void measuresItemsPerSecondAndTheEta() {
    ProgressRate rate = new ProgressRate(0, 0);
    rate.sample(S, 50);
    assertEquals(50.0, rate.perSecond(), 1e-9);
    assertEquals(OptionalLong.of(20), rate.etaSeconds(1000));
  }

  @Test
  void noEtaWhileNothingMovesAndZeroWhenNothingRemains() {
    ProgressRate rate = new ProgressRate(0, 10);
    rate.sample(S, 10);
    assertTrue(rate.etaSeconds(5).isEmpty());
    assertEquals(OptionalLong.of(0), rate.etaSeconds(0));
  }

  @Test
  void smoothsANewRateIn() {
    ProgressRate rate = new ProgressRate(0, 0);
    rate.sample(S, 100);
    rate.sample(2 * S, 100);
    assertEquals(70.0, rate.perSecond(), 1e-9);
  }
}
