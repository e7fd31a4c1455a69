package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.quarantine.store.PayloadInKafka;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.catalog.OrderingPolicy;
import io.micrometer.core.instrument.Counter;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A poison record too big for a DynamoDB item (900 KB, not a CloudEvent, as kcat would write it; Kafka takes up to
 * 1 MB) among good ones, on the real engines: its item is written without the payload, which its Kafka record keeps,
 * and the partition commits past it. Before, the store refused the item for good and the partition never committed
 * again.
 */
@ExtendWith(EnginesExtension.class)
class BigRecordIT {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @Test
  @Timeout(90)
  void aRecordTooBigForTheStoreIsQuarantinedWithItsKafkaPositionAndThePartitionMovesOn(Engines engines)
      throws Exception {
    try (WrapperHarness h = new WrapperHarness(engines, OrderingPolicy.KEY_ORDERED, 1, c -> c)) {
      h.startConsumer();
      List<String> good = new ArrayList<>();
      for (int i = 0; i < 5; i++) {
        h.produce(0, "before-" + i, "ok");
        good.add("before-" + i);
      }
      byte[] big = new byte[900 * 1024];
      Arrays.fill(big, (byte) 'x');
      RecordMetadata poison = h.produceRaw(0, "big", big, List.of());
      RecordMetadata last = null;
      for (int i = 0; i < 5; i++) {
        last = h.produce(0, "after-" + i, "ok");
        good.add("after-" + i);
      }

      h.awaitCommitted(0, last.offset() + 1, WAIT);
      for (String key : good) {
        assertTrue(h.handler.applied(key), key + " handled");
      }

      QuarantineItem item = h.awaitItem(poison, QuarantineStatus.QUARANTINED, WAIT);
      assertEquals(QuarantineReason.NOT_A_CLOUDEVENT, item.reason());
      assertFalse(item.payloadStored());
      assertEquals(0, item.payload().length, "the payload is not in the store");
      String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(big));
      assertEquals(Optional.of(new PayloadInKafka(big.length, sha)), item.payloadInKafka());
      assertEquals(poison.offset(), item.offset(), "its Kafka position is the item's own");
      assertTrue(item.history().stream().anyMatch(a -> "PAYLOAD_IN_KAFKA".equals(a.action())), item.history()
          .toString());

      Map<String, AttributeValue> stored = h.dynamo.getItem(b -> b.tableName(h.table)
          .key(Map.of("id", AttributeValue.fromS(item.id()))).consistentRead(true)).item();
      assertEquals(Boolean.FALSE, stored.get("payloadStored").bool());
      assertEquals(Long.toString(big.length), stored.get("payloadSize").n());
      assertArrayEquals(new byte[0], stored.get("payload").b().asByteArray());

      assertEquals(1.0, h.meters.find("sluice.consumer.store.refusals").tag("reason", "item_too_large").counters()
          .stream().mapToDouble(Counter::count).sum());
      assertEquals(0.0, h.meters.find("sluice.consumer.store.failures").counters().stream()
          .mapToDouble(Counter::count).sum(), "a record too big is no outage");
    }
  }

  /**
   * A big event the handler kept failing on: its item cannot wait for delayed retries (they read the payload from the
   * store), so it is QUARANTINED at once; its redrive reads the payload back from Kafka, and the handler takes it.
   * Once the topic no longer holds the record, a redrive quarantines the item again, saying so.
   */
  @Test
  @Timeout(90)
  void aBigItemIsRedrivenFromItsKafkaRecordUntilTheRecordIsGone(Engines engines) throws Exception {
    try (WrapperHarness h = new WrapperHarness(engines, OrderingPolicy.UNORDERED, 1, c -> c)) {
      h.startConsumer();
      String description = "d".repeat(900 * 1024);
      io.vertx.core.json.JsonObject data = WrapperHarness.product("big", "fail-3").put("description", description);
      dev.sluice.schemas.event.CloudEvent e = new dev.sluice.schemas.event.CloudEvent("1.0",
          java.util.UUID.randomUUID().toString(), "/it/big", "retail.product.created", "application/json", null,
          null, null, Map.of(), data.encode());
      byte[] payload = e.data().getBytes(java.nio.charset.StandardCharsets.UTF_8);
      RecordMetadata written = h.produceRaw(0, "big", payload,
          dev.sluice.schemas.event.CloudEventKafkaBinding.headers(e));

      QuarantineItem item = h.awaitItem(written, QuarantineStatus.QUARANTINED, WAIT);
      assertEquals(QuarantineReason.HANDLER_FAILED, item.reason(), "it failed with retryable errors");
      assertFalse(item.payloadStored());
      assertEquals(Optional.empty(), item.nextAttemptAt(), "no delayed retry: it could not read the payload");
      h.awaitCommitted(0, written.offset() + 1, WAIT);

      dev.sluice.quarantine.kafka.RecordPayloads payloads =
          new dev.sluice.quarantine.kafka.RecordPayloads(h.vertx, h.kafkaProps);
      var read = payloads.read(item).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertArrayEquals(payload,
          assertInstanceOf(dev.sluice.quarantine.kafka.RecordPayloads.Found.class, read).payload());

      redrive(h, item);
      QuarantineItem resolved = h.awaitItem(written, QuarantineStatus.RESOLVED, WAIT);
      assertFalse(resolved.payloadStored(), "the store still holds no payload");
      assertTrue(h.handler.applied("big"), "the handler took the event read back from Kafka");

      // A second big record, whose record the topic then deletes (as retention would).
      e = new dev.sluice.schemas.event.CloudEvent("1.0", java.util.UUID.randomUUID().toString(), "/it/big",
          "retail.product.created", "application/json", null, null, null, Map.of(),
          WrapperHarness.product("gone", "fail-forever").put("description", description).encode());
      RecordMetadata doomed = h.produceRaw(0, "gone", e.data().getBytes(java.nio.charset.StandardCharsets.UTF_8),
          dev.sluice.schemas.event.CloudEventKafkaBinding.headers(e));
      QuarantineItem gone = h.awaitItem(doomed, QuarantineStatus.QUARANTINED, WAIT);
      try (org.apache.kafka.clients.admin.Admin admin =
          org.apache.kafka.clients.admin.Admin.create(new java.util.HashMap<String, Object>(h.kafkaProps))) {
        admin.deleteRecords(Map.of(new org.apache.kafka.common.TopicPartition(h.topic, 0),
            org.apache.kafka.clients.admin.RecordsToDelete.beforeOffset(doomed.offset() + 1))).all()
            .get(30, TimeUnit.SECONDS);
      }
      assertInstanceOf(dev.sluice.quarantine.kafka.RecordPayloads.Gone.class,
          payloads.read(gone).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS));
      redrive(h, gone);
      QuarantineItem again = dev.sluice.deploy.testing.Eventually.await("the redrive of a record gone", WAIT,
          () -> h.item(doomed).filter(i -> i.status() == QuarantineStatus.QUARANTINED
              && "PayloadNotInKafka".equals(i.errorClass())));
      assertTrue(again.errorMessage().contains("gone from Kafka"), again.errorMessage());
      assertFalse(h.handler.applied("gone"));
    }
  }

  /**
   * A small event whose record carries 600 KB of headers (Kafka's limit is the whole record's): without its payload
   * the item would still be too big, so its headers stay in the record too; the partition moves on, and a redrive
   * reads payload and headers back (the CloudEvent's attributes are headers in binary mode) and the handler takes it.
   */
  @Test
  @Timeout(90)
  void aRecordWhoseHeadersAreTooBigKeepsThemInKafkaAndIsRedrivenWithThem(Engines engines) throws Exception {
    try (WrapperHarness h = new WrapperHarness(engines, OrderingPolicy.UNORDERED, 1, c -> c)) {
      h.startConsumer();
      dev.sluice.schemas.event.CloudEvent e = new dev.sluice.schemas.event.CloudEvent("1.0",
          java.util.UUID.randomUUID().toString(), "/it/headers", "retail.product.created", "application/json", null,
          null, null, Map.of(), WrapperHarness.product("heavy", "fail-3").encode());
      List<dev.sluice.schemas.event.KafkaHeader> headers =
          new ArrayList<>(dev.sluice.schemas.event.CloudEventKafkaBinding.headers(e));
      for (int i = 0; i < 10; i++) {
        headers.add(dev.sluice.schemas.event.KafkaHeader.of("x-baggage-" + i, "b".repeat(60 * 1024)));
      }
      RecordMetadata written = h.produceRaw(0, "heavy",
          e.data().getBytes(java.nio.charset.StandardCharsets.UTF_8), headers);
      RecordMetadata after = h.produce(0, "light", "ok");

      QuarantineItem item = h.awaitItem(written, QuarantineStatus.QUARANTINED, WAIT);
      h.awaitCommitted(0, after.offset() + 1, WAIT);
      assertTrue(h.handler.applied("light"), "the partition moved on past it");
      assertFalse(item.payloadStored());
      assertFalse(item.headersStored());
      assertTrue(item.payloadInKafka().orElseThrow().headersInKafka());
      assertEquals(List.of(), item.headers(), "no header in the store");
      assertTrue(item.history().stream().anyMatch(a -> a.detail().contains("kept in Kafka too")),
          item.history().toString());

      redrive(h, item);
      h.awaitItem(written, QuarantineStatus.RESOLVED, WAIT);
      assertTrue(h.handler.applied("heavy"), "the handler took the event read back with its headers");
    }
  }

  private static void redrive(WrapperHarness h, QuarantineItem item) throws Exception {
    h.store.operator().requestRedrive(item.id(), Optional.empty(), "it-operator")
        .compose(redriven -> h.redriveQueue.send(h.group, redriven.id()))
        .toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
