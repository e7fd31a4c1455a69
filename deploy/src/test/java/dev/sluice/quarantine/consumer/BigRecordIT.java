package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
}
