package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.quarantine.log.LogSettings;
import dev.sluice.quarantine.log.QuarantineIndexer;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.catalog.OrderingPolicy;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The quarantine log against the real engines: new QUARANTINED items are appended to a Kafka topic, the partition
 * moves past them once the broker holds them, and the indexer writes every one into the store behind; a partition's
 * new owner loads its open items only once the indexer has written what was appended before, so a key held back by
 * an item still in the log stays held back.
 */
@ExtendWith(EnginesExtension.class)
@Timeout(120)
class QuarantineLogIT {
  private static final Duration WAIT = Duration.ofSeconds(45);
  private WrapperHarness h;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void tearDown() throws Exception {
    for (AutoCloseable c : closing) {
      c.close();
    }
    if (h != null) {
      h.close();
    }
  }

  private static LogSettings freshLog() {
    return LogSettings.of("qlog-" + UUID.randomUUID().toString().substring(0, 8));
  }

  @Test
  void rejectedEventsAreAppendedCommittedPastAndIndexedIntoTheStore(Engines engines) throws Exception {
    h = new WrapperHarness(engines, OrderingPolicy.UNORDERED, 2, c -> c);
    LogSettings log = freshLog();
    h.startConsumer(b -> b.quarantineLog(log));
    List<RecordMetadata> rejected = new ArrayList<>();
    RecordMetadata[] last = new RecordMetadata[2];
    for (int i = 0; i < 200; i++) {
      boolean reject = i % 2 == 0;
      RecordMetadata m = h.produce(i % 2 == 0 ? 0 : 1, "p" + i, reject ? "reject" : "ok");
      if (reject) {
        rejected.add(m);
      }
      last[m.partition()] = m;
    }
    h.awaitCommitted(0, last[0].offset() + 1, WAIT);
    h.awaitCommitted(1, last[1].offset() + 1, WAIT);
    assertEquals(100, h.handler.applied.size());
    for (RecordMetadata m : rejected) {
      assertEquals(QuarantineReason.HANDLER_REJECTED, h.awaitItem(m, QuarantineStatus.QUARANTINED, WAIT).reason());
    }
    assertEquals(100.0, h.meters.get("sluice.quarantine.log.indexed").counter().count(), "each item indexed once");
    assertTrue(h.meters.get("sluice.quarantine.log.index.delay").timer().count() >= 100);
  }

  @Test
  void aNewOwnerWaitsForTheIndexerSoAKeyHeldByAnItemInTheLogStaysHeld(Engines engines) throws Exception {
    h = new WrapperHarness(engines, OrderingPolicy.KEY_ORDERED, 1, c -> c);
    LogSettings log = freshLog();
    // No process indexes the log yet: the head's item is only in the log.
    String first = h.startConsumer(b -> b.quarantineLog(log.withoutIndexer()));
    RecordMetadata head = h.produce(0, "K", "reject");
    h.awaitCommitted(0, head.offset() + 1, WAIT);
    assertEquals(Optional.empty(), h.item(head), "appended to the log, not written to the store");
    h.stopConsumer(first);

    RecordMetadata later = h.produce(0, "K", "ok");
    h.startConsumer(b -> b.quarantineLog(log.withoutIndexer()));
    // The new owner waits for the indexer before it loads the open items, so it handles nothing of the partition.
    Thread.sleep(2_000);
    assertFalse(h.handler.applied("K"), "nothing handled before the open items are known");
    assertEquals(head.offset() + 1, h.committed(0));

    QuarantineIndexer indexer = new QuarantineIndexer(h.kafkaProps, log, h.store.consumer(), h.meters,
        Clock.systemUTC());
    closing.add(indexer);
    indexer.start();
    h.awaitItem(head, QuarantineStatus.QUARANTINED, WAIT);
    // Then it loads the head as open, and the key's later event waits behind it.
    assertEquals(QuarantineStatus.PARKED, h.awaitItem(later, QuarantineStatus.PARKED, WAIT).status());
    assertFalse(h.handler.applied("K"));
  }
}
