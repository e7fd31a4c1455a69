package dev.sluice.loadtests.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class PaceTest {
  @Test
  void theMultipleOfRealTimeIsEventTimeCoveredPerWallClockSecond() {
    assertEquals(86_400, Pace.multipleOfRealTime(Duration.ofDays(1), 1), 1e-9);
    // Three years (of 365 days) in one minute.
    assertEquals(1_576_800, Pace.multipleOfRealTime(History.THREE_YEARS, 60), 1e-6);
    assertTrue(Double.isNaN(Pace.multipleOfRealTime(Duration.ofDays(1), 0)), "nothing measured, no figure");
  }

  @Test
  void threeYearsOfOneHundredEventsASecondInAnHourNeedAbout2Point6MillionEventsASecond() {
    double needed = Pace.neededRate(100, History.THREE_YEARS, Duration.ofHours(1));
    // 100 events/s x 94,608,000 s = 9.4608e9 events, over 3,600 s.
    assertEquals(2_628_000, needed, 1e-6);
    assertEquals(1_000, Pace.neededRate(1_000, Duration.ofHours(1), Duration.ofHours(1)), 1e-9);
  }

  @Test
  void partitionsAreRoundedUpSoThatTheNeededRateIsMet() {
    assertEquals(27, Pace.partitionsFor(2_628_000, 100_000));
    assertEquals(2, Pace.partitionsFor(200_000, 100_000));
    assertEquals(1, Pace.partitionsFor(1, 100_000));
    assertThrows(IllegalArgumentException.class, () -> Pace.partitionsFor(1, 0));
  }
}
