package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.engine.DataDirs;
import dev.sluice.deploy.engine.EmbeddedDynamoDb;
import dev.sluice.deploy.engine.EmbeddedSqs;
import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.FreePorts;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import io.micrometer.core.instrument.Counter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.Select;

/**
 * Store and queue outages, with the engines really stopped and started again (on their ports, DynamoDB Local with its
 * files): the wrapper holds the affected partitions, never commits past a record it could not record, does not
 * multiply work, and carries on by itself once the engine is back.
 */
@ExtendWith(EnginesExtension.class)
class OutageIT {

  /** How this class's consumers handle a partition's records; {@code ConcurrentOutageIT} runs every test again by key. */
  Handling handling() {
    return Handling.ORDERED;
  }
  private static final Duration WAIT = Duration.ofSeconds(30);

  /** Poison as another producer might write it: a product whose price is a string. */
  private static RecordMetadata producePoison(WrapperHarness h, int partition, String key) throws Exception {
    CloudEvent bad = new CloudEvent("1.0", UUID.randomUUID().toString(), "/it", "retail.product.created",
        "application/json", null, null, null, Map.of(), "{\"id\":\"" + key + "\",\"price\":\"free\"}");
    return h.produceRaw(partition, key, bad.data().getBytes(StandardCharsets.UTF_8),
        CloudEventKafkaBinding.headers(bad));
  }

  private static double poisonJudged(WrapperHarness h) {
    return h.meters.find("sluice.consumer.poison.judged").counters().stream().mapToDouble(Counter::count).sum();
  }

  /** Writes a mix of good events and poison (2 in 10, on both partitions) over two partitions; returns the poison. */
  private static List<RecordMetadata> produceMix(WrapperHarness h, String prefix, int count, Set<String> good,
      List<RecordMetadata> last) throws Exception {
    List<RecordMetadata> poison = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String key = prefix + i;
      boolean isPoison = i % 10 == 3 || i % 10 == 8;
      RecordMetadata w = isPoison ? producePoison(h, i % 2, key) : h.produce(i % 2, key, "ok");
      if (isPoison) {
        poison.add(w);
      } else {
        good.add(key);
      }
      last.set(w.partition(), w);
    }
    return poison;
  }

  @Test
  @Timeout(90)
  void aDynamoDbOutageHoldsThePartitionAtItsFirstUnrecordedRecordAndNothingIsLost(Engines engines) throws Exception {
    Path dir = Files.createTempDirectory("sluice-outage-ddb");
    int port = FreePorts.pick();
    EmbeddedDynamoDb ddb = EmbeddedDynamoDb.startPersistent(dir, port);
    WrapperHarness h = null;
    try {
      h = new WrapperHarness(engines, OrderingPolicy.KEY_ORDERED, 2, handling().tune(c -> c.withErrorBackoff(Duration.ofMillis(200))),
          ddb.endpoint(), engines.sqsEndpoint());
      h.startConsumer();
      Set<String> good = new HashSet<>();
      List<RecordMetadata> last = new ArrayList<>(List.of(h.produce(0, "first0", "ok"), h.produce(1, "first1", "ok")));
      good.addAll(List.of("first0", "first1"));
      List<RecordMetadata> poison = new ArrayList<>(produceMix(h, "before-", 40, good, last));
      for (int p = 0; p < 2; p++) {
        h.awaitCommitted(p, last.get(p).offset() + 1, WAIT);
      }

      ddb.close();
      List<RecordMetadata> during = produceMix(h, "during-", 40, good, last);
      poison.addAll(during);
      long[] firstUnrecorded = new long[2];
      for (int p = 0; p < 2; p++) {
        int partition = p;
        firstUnrecorded[p] = during.stream().filter(w -> w.partition() == partition)
            .mapToLong(RecordMetadata::offset).min().orElseThrow();
      }
      // For 12 s of outage: every commit stays at or before the first poison the store could not take.
      long until = System.nanoTime() + Duration.ofSeconds(12).toNanos();
      while (System.nanoTime() < until) {
        for (int p = 0; p < 2; p++) {
          long committed = h.committed(p);
          assertTrue(committed <= firstUnrecorded[p], "partition " + p + " committed " + committed
              + " past the unrecorded poison at " + firstUnrecorded[p]);
        }
        Thread.sleep(250);
      }
      assertTrue(h.handler.applied("during-0"), "good events before the poison need no store: they were handled");
      assertTrue(h.meters.find("sluice.consumer.store.failures").counters().stream()
          .mapToDouble(Counter::count).sum() > 0);
      // Poison items are written behind, so good events read with the poison may be handled meanwhile (only the
      // commit waits). Once the store failed, the partitions take nothing more until it answers again.
      List<String> late = new ArrayList<>();
      for (int i = 0; i < 6; i++) {
        String key = "late-" + i;
        last.set(i % 2, h.produce(i % 2, key, "ok"));
        late.add(key);
        good.add(key);
      }
      Thread.sleep(3_000);
      for (String key : late) {
        assertFalse(h.handler.applied(key), key + " was read after the store failed: it waits");
      }
      for (int p = 0; p < 2; p++) {
        assertTrue(h.committed(p) <= firstUnrecorded[p], "partition " + p + " committed past the unrecorded poison");
      }

      ddb = EmbeddedDynamoDb.startPersistent(dir, port);
      for (int p = 0; p < 2; p++) {
        h.awaitCommitted(p, last.get(p).offset() + 1, WAIT);
      }
      WrapperHarness hh = h;
      for (String key : good) {
        assertTrue(hh.handler.applied(key), "good event " + key + " applied");
      }
      for (RecordMetadata w : poison) {
        QuarantineItem item = h.item(w).orElseThrow(() -> new AssertionError("poison " + w + " not quarantined"));
        assertEquals(QuarantineStatus.QUARANTINED, item.status());
      }
      long items = h.dynamo.scan(b -> b.tableName(hh.table).select(Select.COUNT).consistentRead(true)).count();
      assertEquals(poison.size(), items, "each poison record quarantined once, nothing else");
      assertEquals(poison.size(), poisonJudged(h), 0.0, "each poison record decoded and validated once");
      assertTrue(h.handler.calls.stream().allMatch(ScriptedHandler.Call::succeeded));
      assertEquals(good.size(), new HashSet<>(h.handler.applied).size());
    } finally {
      if (h != null) {
        h.close();
      }
      ddb.close();
      DataDirs.wipe(dir);
    }
  }

  @Test
  @Timeout(60)
  void anSqsOutageHoldsARecordThatNeedsTheRetryQueueUntilItCanBeScheduled(Engines engines) throws Exception {
    int port = FreePorts.pick();
    EmbeddedSqs sqs = EmbeddedSqs.start(port);
    WrapperHarness h = null;
    try {
      h = new WrapperHarness(engines, OrderingPolicy.KEY_ORDERED, 1, handling().tune(c -> c.withErrorBackoff(Duration.ofMillis(200))
              .withDelayed(c.delayed().withResendAfter(Duration.ofSeconds(1)))),
          engines.dynamoEndpoint(), sqs.endpoint());
      h.startConsumer();
      RecordMetadata warm = h.produce(0, "warm", "ok");
      h.awaitCommitted(0, warm.offset() + 1, WAIT);

      sqs.close(); // in memory: its queues are gone when it comes back
      RecordMetadata slow = h.produce(0, "slow", "fail-4");
      RecordMetadata behind = h.produce(0, "behind", "ok");
      h.awaitItem(slow, QuarantineStatus.RETRYING, WAIT);
      Thread.sleep(3_000);
      assertTrue(h.committed(0) <= slow.offset(), "not committed past a record whose retry is not scheduled");
      // "behind" may have been handled while the item was written behind; a record read after the queue failed waits.
      RecordMetadata late = h.produce(0, "late", "ok");
      Thread.sleep(2_000);
      assertFalse(h.handler.applied("late"), "read after the retry queue failed: it waits");
      assertTrue(h.committed(0) <= slow.offset(), "not committed past a record whose retry is not scheduled");

      sqs = EmbeddedSqs.start(port);
      h.awaitCommitted(0, late.offset() + 1, WAIT);
      assertTrue(h.handler.applied("behind"));
      assertTrue(h.handler.applied("late"));
      QuarantineItem resolved = h.awaitItem(slow, QuarantineStatus.RESOLVED, WAIT);
      assertEquals(5, resolved.attempts(), "3 in place, then 2 delayed: the retry queue was made again");
      assertEquals(Optional.empty(), h.item(behind));
      Eventually.await("behind applied once", WAIT, () -> Optional.of(true));
    } finally {
      if (h != null) {
        h.close();
      }
      sqs.close();
    }
  }
}
