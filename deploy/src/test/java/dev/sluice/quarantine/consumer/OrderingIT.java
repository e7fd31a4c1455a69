package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The ordering guard against the real engines: on a KEY_ORDERED stream a later event of an open event's key is
 * PARKED, its handler not called, while other keys flow; when the head settles the parked events are handled in their
 * original order; the guard is read back from the store by whoever owns the partition next.
 */
@ExtendWith(EnginesExtension.class)
@Timeout(60)
class OrderingIT {

  /** How this class's consumers handle a partition's records; {@code ConcurrentOrderingIT} runs every test again by key. */
  Handling handling() {
    return Handling.ORDERED;
  }
  private static final Duration WAIT = Duration.ofSeconds(30);
  private WrapperHarness h;

  @AfterEach
  void tearDown() throws Exception {
    if (h != null) {
      h.close();
    }
  }

  private WrapperHarness harness(Engines engines, OrderingPolicy ordering, int partitions) throws Exception {
    h = new WrapperHarness(engines, ordering, partitions, handling().tune(c -> c));
    return h;
  }

  private List<Long> appliedOffsetsOf(String productId) {
    return h.handler.calls.stream()
        .filter(c -> c.productId().equals(productId) && c.succeeded())
        .map(ScriptedHandler.Call::offset)
        .toList();
  }

  @Test
  void laterEventsOfAnOpenKeyWaitAndAreReleasedInTheirOrderWhileOtherKeysFlow(Engines engines) throws Exception {
    harness(engines, OrderingPolicy.KEY_ORDERED, 1).startConsumer();
    RecordMetadata head = h.produce(0, "K", "reject");
    QuarantineItem headItem = h.awaitItem(head, QuarantineStatus.QUARANTINED, WAIT);
    RecordMetadata k1 = h.produce(0, "K", "ok");
    RecordMetadata other = h.produce(0, "other", "ok");
    RecordMetadata k2 = h.produce(0, "K", "reject");
    RecordMetadata k3 = h.produce(0, "K", "ok");

    QuarantineItem parked = h.awaitItem(k1, QuarantineStatus.PARKED, WAIT);
    assertEquals(QuarantineReason.KEY_BLOCKED, parked.reason());
    assertEquals(Optional.of(headItem.id()), parked.parkedBehind());
    h.awaitItem(k3, QuarantineStatus.PARKED, WAIT);
    h.awaitCommitted(0, k3.offset() + 1, WAIT);
    assertTrue(h.handler.applied("other"), "another key flowed past the blocked one");
    assertEquals(Optional.empty(), h.item(other));
    assertEquals(1, h.handler.callsFor("K").size(), "no parked event reached the handler");

    // An operator gives up on the head: its key's parked events go, in order, until one fails and becomes the head.
    h.discard(head);
    h.awaitItem(k1, QuarantineStatus.RESOLVED, WAIT);
    QuarantineItem newHead = h.awaitItem(k2, QuarantineStatus.QUARANTINED, WAIT);
    assertEquals(QuarantineReason.HANDLER_REJECTED, newHead.reason());
    Thread.sleep(1_500); // two lane refreshes: k3 must still wait behind its new head
    assertEquals(QuarantineStatus.PARKED, h.item(k3).orElseThrow().status());
    assertEquals(List.of(k1.offset()), appliedOffsetsOf("K"));

    h.discard(k2);
    h.awaitItem(k3, QuarantineStatus.RESOLVED, WAIT);
    assertEquals(List.of(k1.offset(), k3.offset()), appliedOffsetsOf("K"), "applied in their original order");
    assertTrue(h.handler.callsFor("K").stream().skip(1)
        .allMatch(c -> c.delivery() == ConsumedEvent.Delivery.RELEASED));

    RecordMetadata k4 = h.produce(0, "K", "ok");
    Eventually.await("K flows again", WAIT,
        () -> appliedOffsetsOf("K").contains(k4.offset()) ? Optional.of(true) : Optional.empty());
    assertEquals(Optional.empty(), h.item(k4), "nothing open for K any more: handled straight from Kafka");
  }

  @Test
  void poisonBehindAnOpenKeyIsParkedWithItsVerdictAndQuarantinedWhenReleased(Engines engines) throws Exception {
    harness(engines, OrderingPolicy.KEY_ORDERED, 1).startConsumer();
    RecordMetadata head = h.produce(0, "K", "reject");
    h.awaitItem(head, QuarantineStatus.QUARANTINED, WAIT);
    CloudEvent bad = new CloudEvent("1.0", UUID.randomUUID().toString(), "/it", "retail.product.created",
        "application/json", null, null, null, Map.of(), "{\"id\":\"K\",\"price\":\"free\"}");
    RecordMetadata poison = h.produceRaw(0, "K", bad.data().getBytes(StandardCharsets.UTF_8),
        CloudEventKafkaBinding.headers(bad));
    RecordMetadata after = h.produce(0, "K", "ok");

    QuarantineItem parked = h.awaitItem(poison, QuarantineStatus.PARKED, WAIT);
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, parked.reason(), "judged once, when read");
    h.awaitItem(after, QuarantineStatus.PARKED, WAIT);

    h.discard(head);
    QuarantineItem dead = h.awaitItem(poison, QuarantineStatus.QUARANTINED, WAIT);
    assertEquals(QuarantineReason.SCHEMA_VIOLATION, dead.reason());
    assertEquals(0, dead.attempts(), "poison never reaches the handler");
    assertEquals(QuarantineStatus.PARKED, h.item(after).orElseThrow().status(), "the poison is the new head");
  }

  @Test
  void aDelayedRetryThatSucceedsReleasesWhatWaitsBehindIt(Engines engines) throws Exception {
    harness(engines, OrderingPolicy.KEY_ORDERED, 1).startConsumer();
    RecordMetadata head = h.produce(0, "K", "fail-4");
    h.awaitItem(head, QuarantineStatus.RETRYING, WAIT);
    RecordMetadata behind = h.produce(0, "K", "ok");
    h.awaitItem(behind, QuarantineStatus.PARKED, WAIT);

    h.awaitItem(head, QuarantineStatus.RESOLVED, WAIT);
    h.awaitItem(behind, QuarantineStatus.RESOLVED, WAIT);
    assertEquals(List.of(head.offset(), behind.offset()), appliedOffsetsOf("K"));
  }

  @Test
  void afterARestartTheGuardIsReadBackBeforeAnythingIsHandled(Engines engines) throws Exception {
    String first = harness(engines, OrderingPolicy.KEY_ORDERED, 1).startConsumer();
    RecordMetadata head = h.produce(0, "K", "reject");
    h.awaitItem(head, QuarantineStatus.QUARANTINED, WAIT);
    RecordMetadata parked = h.produce(0, "K", "ok");
    h.awaitItem(parked, QuarantineStatus.PARKED, WAIT);
    h.awaitCommitted(0, parked.offset() + 1, WAIT);
    h.stopConsumer(first);

    h.startConsumer();
    RecordMetadata later = h.produce(0, "K", "ok");
    RecordMetadata other = h.produce(0, "other", "ok");
    h.awaitItem(later, QuarantineStatus.PARKED, WAIT);
    Eventually.await("other key handled", WAIT, () -> h.handler.applied("other") ? Optional.of(true) : Optional.empty());
    assertEquals(1, h.handler.callsFor("K").size(), "the new instance held K back from its first record on");
    assertEquals(Optional.empty(), h.item(other));

    h.discard(head);
    h.awaitItem(later, QuarantineStatus.RESOLVED, WAIT);
    assertEquals(List.of(parked.offset(), later.offset()), appliedOffsetsOf("K"));
  }

  @Test
  void theGuardMovesWithItsPartitionOnARebalance(Engines engines) throws Exception {
    harness(engines, OrderingPolicy.KEY_ORDERED, 2).startConsumer();
    RecordMetadata h0 = h.produce(0, "K0", "reject");
    RecordMetadata h1 = h.produce(1, "K1", "reject");
    h.awaitItem(h0, QuarantineStatus.QUARANTINED, WAIT);
    h.awaitItem(h1, QuarantineStatus.QUARANTINED, WAIT);

    h.startConsumer(); // a second member: one of the partitions moves to it
    RecordMetadata p0 = h.produce(0, "K0", "ok");
    RecordMetadata p1 = h.produce(1, "K1", "ok");
    h.awaitItem(p0, QuarantineStatus.PARKED, WAIT);
    h.awaitItem(p1, QuarantineStatus.PARKED, WAIT);
    assertEquals(1, h.handler.callsFor("K0").size());
    assertEquals(1, h.handler.callsFor("K1").size());
  }

  @Test
  void anUnorderedStreamHoldsNothingBack(Engines engines) throws Exception {
    harness(engines, OrderingPolicy.UNORDERED, 1).startConsumer();
    RecordMetadata head = h.produce(0, "K", "reject");
    RecordMetadata next = h.produce(0, "K", "ok");
    h.awaitItem(head, QuarantineStatus.QUARANTINED, WAIT);
    h.awaitCommitted(0, next.offset() + 1, WAIT);
    assertEquals(List.of(next.offset()), appliedOffsetsOf("K"));
    assertEquals(Optional.empty(), h.item(next));
  }
}
