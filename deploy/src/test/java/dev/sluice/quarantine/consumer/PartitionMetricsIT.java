package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.catalog.OrderingPolicy;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.TimeGauge;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The per-partition gauges that show a jam before it hurts: head-of-line age and lag grow while a partition is held
 * by in-place retries; open item counts and the oldest quarantined age follow what the wrapper recorded.
 */
@ExtendWith(EnginesExtension.class)
@Timeout(60)
class PartitionMetricsIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static double gauge(WrapperHarness h, String name, String partition, String... tags) {
    var search = h.meters.find(name).tags("group", h.group, "topic", h.topic, "partition", partition).tags(tags);
    Gauge g = search.gauge();
    if (g != null) {
      return g.value();
    }
    TimeGauge t = search.timeGauge();
    return t == null ? Double.NaN : t.value(TimeUnit.SECONDS);
  }

  private static double items(WrapperHarness h, String partition, QuarantineStatus status) {
    return gauge(h, "sluice.consumer.open.items", partition, "status", status.name().toLowerCase());
  }

  private static void await(String what, java.util.function.BooleanSupplier condition) {
    Eventually.await(what, WAIT, () -> condition.getAsBoolean() ? Optional.of(true) : Optional.empty());
  }

  @Test
  void aHeldPartitionShowsItsAgeAndLagAndOpenItemsAreCounted(Engines engines) throws Exception {
    // Four in-place attempts 700 ms apart: a failing record holds its partition for about two seconds.
    try (WrapperHarness h = new WrapperHarness(engines, OrderingPolicy.KEY_ORDERED, 2, c -> c.with(d -> d.backoff =
        BackoffPolicy.decorrelated(Duration.ofMillis(700), Duration.ofMillis(700), 4, Optional.empty())))) {
      h.startConsumer();
      RecordMetadata head = h.produce(0, "K", "reject");
      h.produce(0, "K", "ok");
      RecordMetadata slow = h.produce(1, "R", "fail-forever");
      for (int i = 0; i < 5; i++) {
        h.produce(1, "after-" + i, "ok");
      }

      await("partition 1 held: head-of-line age and lag", () -> gauge(h, "sluice.consumer.head.of.line.age", "1") > 0.5
          && gauge(h, "sluice.consumer.lag", "1") >= 5);
      await("partition 0: one quarantined, one parked", () -> items(h, "0", QuarantineStatus.QUARANTINED) == 1
          && items(h, "0", QuarantineStatus.PARKED) == 1);
      await("partition 1: retrying", () -> items(h, "1", QuarantineStatus.RETRYING) == 1);
      await("partition 1 flows again", () -> gauge(h, "sluice.consumer.head.of.line.age", "1") == 0
          && gauge(h, "sluice.consumer.lag", "1") == 0);
      assertTrue(h.meters.find("sluice.consumer.inplace.attempts").tags("partition", "1").counter().count() >= 4 + 5);

      h.awaitItem(slow, QuarantineStatus.QUARANTINED, WAIT);
      await("partition 1: the exhausted retry is counted as quarantined",
          () -> items(h, "1", QuarantineStatus.QUARANTINED) == 1 && items(h, "1", QuarantineStatus.RETRYING) == 0);
      double age = gauge(h, "sluice.consumer.oldest.quarantined.age", "0");
      assertTrue(age > 0, "age " + age);

      h.discard(head);
      await("the parked event was released", () -> items(h, "0", QuarantineStatus.QUARANTINED) == 0
          && items(h, "0", QuarantineStatus.PARKED) == 0);
      assertEquals(0, gauge(h, "sluice.consumer.oldest.quarantined.age", "0"));

      String scrape = h.meters.scrape();
      for (String name : new String[] {"sluice_consumer_head_of_line_age_seconds{", "sluice_consumer_lag_records{",
          "sluice_consumer_inplace_attempts_total{", "sluice_consumer_open_items{",
          "sluice_consumer_oldest_quarantined_age_seconds{", "sluice_consumer_delayed_retries_total{",
          "sluice_consumer_events_parked_total{", "sluice_consumer_events_released_total{"}) {
        assertTrue(scrape.contains(name), name + " in\n" + scrape);
      }

      h.stopConsumer();
      assertFalse(h.meters.scrape().contains("sluice_consumer_head_of_line_age_seconds{"),
          "a partition's gauges go with it");
    }
  }
}
