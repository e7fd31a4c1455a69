package dev.sluice.quarantine.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.quarantine.groups.OutcomeCounts;
import dev.sluice.quarantine.store.QuarantineReason;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The heartbeat's outcome counts are counted where the handled and quarantined counters are, per stream. */
class ConsumerMetricsOutcomesTest {
  @Test
  void handledAndQuarantinedRecordsAreCountedForTheHeartbeatToo() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    ConsumerMetrics metrics = new ConsumerMetrics(registry, "g");
    metrics.handled("retail");
    metrics.handled("retail");
    metrics.quarantined("retail", QuarantineReason.SCHEMA_VIOLATION);
    metrics.quarantined("payments", QuarantineReason.HANDLER_FAILED);
    metrics.parked("retail");
    metrics.retryScheduled("retail");

    assertEquals(Map.of("retail", new OutcomeCounts.Totals(2, 1), "payments", new OutcomeCounts.Totals(0, 1)),
        metrics.outcomes().totals(), "parked and retrying records are not finished yet");
    assertEquals(2.0, registry.get("sluice.consumer.events.handled").tag("stream", "retail").counter().count());
  }
}
