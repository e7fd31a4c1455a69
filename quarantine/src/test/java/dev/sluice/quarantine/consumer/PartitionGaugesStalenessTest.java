package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.testing.HandClock;
import io.micrometer.core.instrument.search.MeterNotFoundException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The staleness of a partition: now minus the newest handled event's time, while records wait; 0 when caught up. */
class PartitionGaugesStalenessTest {
  private static final Instant START = Instant.parse("2024-05-01T12:00:00Z");

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final ConsumerMetrics metrics = new ConsumerMetrics(registry, "catalog-builder");
  private final HandClock clock = new HandClock(START);

  private PartitionGauges gauges(int partition) {
    // The client's lag is only asked before the worker saw an end offset; these tests always give one.
    return new PartitionGauges(metrics, "retail", partition, () -> Double.NaN, clock);
  }

  private static long at(Instant t) {
    return t.toEpochMilli();
  }

  private double gauge(String name, int partition) {
    return registry.get(name).tags("group", "catalog-builder", "topic", "retail", "partition",
        Integer.toString(partition)).gauge().value();
  }

  private double staleness(int partition) {
    return registry.get("sluice.consumer.staleness").tags("group", "catalog-builder", "topic", "retail", "partition",
        Integer.toString(partition)).timeGauge().value(TimeUnit.SECONDS);
  }

  @Test
  void whileRecordsWaitItIsNowMinusTheLastHandledEventTime() {
    PartitionGauges g = gauges(0);
    g.handled(at(START.minusSeconds(30)));
    g.unfinished(System.nanoTime(), 11);
    g.endOffset(20);
    assertEquals(30.0, g.stalenessSeconds(), 1e-9);
    clock.advance(Duration.ofMinutes(2));
    assertEquals(150.0, g.stalenessSeconds(), 1e-9);
    assertEquals(150.0, staleness(0), 1e-9);
    assertEquals(at(START.minusSeconds(30)) / 1000.0,
        gauge("sluice.consumer.last.handled.event.time.seconds", 0), 1e-9);
  }

  @Test
  void aCaughtUpIdlePartitionIsNotStaleHoweverOldItsLastEvent() {
    PartitionGauges g = gauges(0);
    g.handled(at(START.minusSeconds(30)));
    g.endOffset(20);
    g.caughtUp(20);
    clock.advance(Duration.ofHours(6));
    assertEquals(0.0, g.stalenessSeconds());
    assertEquals(0.0, staleness(0));
    // The raw event time stays, for a query of one's own.
    assertEquals(at(START.minusSeconds(30)) / 1000.0,
        gauge("sluice.consumer.last.handled.event.time.seconds", 0), 1e-9);
    // A new event arrives and waits: stale again, from the last event handled.
    g.endOffset(21);
    assertEquals(6 * 3600.0 + 30, g.stalenessSeconds(), 1e-9);
  }

  @Test
  void beforeAnyEventHandledItIsZeroAndTheEventTimeIsAbsent() {
    PartitionGauges g = gauges(0);
    g.unfinished(System.nanoTime(), 0);
    g.endOffset(50);
    assertEquals(0.0, g.stalenessSeconds());
    assertTrue(Double.isNaN(gauge("sluice.consumer.last.handled.event.time.seconds", 0)));
  }

  @Test
  void theNewestEventTimeHandledCountsNotTheLatestCall() {
    PartitionGauges g = gauges(0);
    g.unfinished(System.nanoTime(), 3);
    g.endOffset(10);
    g.handled(at(START.minusSeconds(10)));
    g.handled(at(START.minusSeconds(300)));
    assertEquals(10.0, g.stalenessSeconds(), 1e-9);
  }

  @Test
  void anEventFromTheFutureIsNotNegativeStaleness() {
    PartitionGauges g = gauges(0);
    g.unfinished(System.nanoTime(), 3);
    g.endOffset(10);
    g.handled(at(START.plusSeconds(90)));
    assertEquals(0.0, g.stalenessSeconds());
  }

  @Test
  void theHeartbeatGetsTheWorstPartitionPerTopicOfThoseOwned() {
    PartitionGauges fresh = gauges(0);
    fresh.handled(at(START.minusSeconds(5)));
    fresh.unfinished(System.nanoTime(), 3);
    fresh.endOffset(10);
    PartitionGauges behind = gauges(1);
    behind.handled(at(START.minusSeconds(400)));
    behind.unfinished(System.nanoTime(), 3);
    behind.endOffset(10);
    assertEquals(Map.of("retail", 400.0), metrics.worstStalenessByTopic());

    behind.meters().close();
    assertEquals(Map.of("retail", 5.0), metrics.worstStalenessByTopic());
    assertThrows(MeterNotFoundException.class, () -> staleness(1));
    fresh.meters().close();
    assertEquals(Map.of(), metrics.worstStalenessByTopic());
  }
}
