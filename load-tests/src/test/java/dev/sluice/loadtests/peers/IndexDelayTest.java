package dev.sluice.loadtests.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.quarantine.log.LogSettings;
import dev.sluice.quarantine.log.QuarantineIndexer;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class IndexDelayTest {
  @Test
  void quantilesAreTheBucketsTheyFallInAndNeverAboveTheLargestDelay() {
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    // The indexer's own timer, as it registers it (it connects to nothing until started).
    new QuarantineIndexer(Map.of("bootstrap.servers", "127.0.0.1:9"), LogSettings.of("t"), null, meters,
        Clock.systemUTC()).close();
    Timer timer = meters.find(IndexDelay.TIMER).timer();
    for (int i = 1; i <= 99; i++) {
      timer.record(10, TimeUnit.MILLISECONDS);
    }
    timer.record(2_000, TimeUnit.MILLISECONDS);
    IndexDelay d = IndexDelay.of(meters);
    assertEquals(100, d.items());
    assertEquals(10, d.p50Ms(), 0.001, "p50 in the bucket up to 10 ms");
    assertEquals(10, d.p99Ms(), 0.001, "99 of 100 at 10 ms");
    assertEquals(2_000, d.maxMs(), 0.001);
  }

  @Test
  void noTimerMeansNothingMeasured() {
    assertEquals(new IndexDelay(0, 0, 0, 0), IndexDelay.of(new SimpleMeterRegistry()));
  }
}
