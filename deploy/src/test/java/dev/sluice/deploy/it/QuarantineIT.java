package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Records that bypass the gateway and reach the topic anyway are diverted, and the partition moves on. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class QuarantineIT {

  /**
   * Each record gets a key of its own: on the key-ordered retail stream a quarantined record holds back every later
   * record with its key, which these tests are not about.
   */
  private static RecordMetadata produceRaw(Stack stack, int partition, byte[] value, List<RecordHeader> headers)
      throws Exception {
    Map<String, Object> props = new HashMap<>(stack.kafkaProps());
    try (KafkaProducer<byte[], byte[]> producer =
        new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer())) {
      ProducerRecord<byte[], byte[]> record = new ProducerRecord<>("retail", partition,
          Events.uid("raw").getBytes(StandardCharsets.UTF_8), value, List.copyOf(headers).stream()
              .map(h -> (org.apache.kafka.common.header.Header) h).toList());
      return producer.send(record).get(30, TimeUnit.SECONDS);
    }
  }

  private static Map<String, AttributeValue> awaitItem(Stack stack, String id) {
    return Eventually.await("quarantine item " + id, Duration.ofSeconds(30), () -> {
      var resp = stack.dynamo().getItem(b -> b.tableName(stack.quarantineTable())
          .key(Map.of("id", AttributeValue.fromS(id))).consistentRead(true));
      return resp.hasItem() && !resp.item().isEmpty() ? Optional.of(resp.item()) : Optional.empty();
    });
  }

  private static long awaitCommittedPast(Stack stack, int partition, long offset) {
    Map<String, Object> props = new HashMap<>(stack.kafkaProps());
    try (Admin admin = Admin.create(props)) {
      TopicPartition tp = new TopicPartition("retail", partition);
      return Eventually.await("group offset past " + offset, Duration.ofSeconds(30), () -> {
        try {
          Map<TopicPartition, OffsetAndMetadata> committed = admin
              .listConsumerGroupOffsets(stack.demoGroup()).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
          OffsetAndMetadata o = committed.get(tp);
          return o != null && o.offset() > offset ? Optional.of(o.offset()) : Optional.empty();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }

  @Test
  void aRecordThatIsNotACloudEventIsQuarantinedAndTheGroupCommitsPastIt(Stack stack) throws Exception {
    byte[] garbage = "this is not a CloudEvent {".getBytes(StandardCharsets.UTF_8);
    RecordMetadata written = produceRaw(stack, 1, garbage, List.of());

    String id = QuarantineItem.idFor(stack.demoGroup(), "retail", 1, written.offset());
    Map<String, AttributeValue> item = awaitItem(stack, id);

    assertEquals("NOT_A_CLOUDEVENT", item.get("reason").s());
    assertEquals("QUARANTINED", item.get("status").s());
    assertEquals(stack.demoGroup(), item.get("consumerGroup").s());
    assertEquals("retail", item.get("stream").s());
    assertEquals(Long.toString(written.offset()), item.get("kafkaOffset").n());
    assertEquals("1", item.get("kafkaPartition").n());
    assertArrayEquals(garbage, item.get("payload").b().asByteArray(), "the raw payload is kept byte for byte");

    long committed = awaitCommittedPast(stack, 1, written.offset());
    assertEquals(true, committed >= written.offset() + 1);
  }

  @Test
  void schemaInvalidDataWrittenStraightToTheTopicIsASchemaViolation(Stack stack) throws Exception {
    List<RecordHeader> headers = List.of(
        new RecordHeader("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8)),
        new RecordHeader("ce_id", Events.uid("raw").getBytes(StandardCharsets.UTF_8)),
        new RecordHeader("ce_source", "/it/raw".getBytes(StandardCharsets.UTF_8)),
        new RecordHeader("ce_type", "retail.product.created".getBytes(StandardCharsets.UTF_8)));
    RecordMetadata written = produceRaw(stack, 2,
        "{\"id\":\"x\",\"brand\":\"b\",\"name\":\"n\",\"category\":\"c\",\"price\":\"free\"}"
            .getBytes(StandardCharsets.UTF_8), headers);

    Map<String, AttributeValue> item = awaitItem(stack,
        QuarantineItem.idFor(stack.demoGroup(), "retail", 2, written.offset()));

    assertEquals("SCHEMA_VIOLATION", item.get("reason").s());
    assertEquals("retail.product.created", item.get("eventType").s());
    assertEquals("/data/price", item.get("violations").l().get(0).m().get("pointer").s());
    assertEquals("0", item.get("attempts").n(), "poison never reaches the handler");
    awaitCommittedPast(stack, 2, written.offset());
  }

  @Test
  void structuredModeRecordsFromOtherProducersAreHandledAndCanBeFixedAndRedriven(Stack stack) throws Exception {
    Http http = Http.producer();
    Http operator = Http.operator();
    List<RecordHeader> structured = List.of(
        new RecordHeader("content-type", "application/cloudevents+json".getBytes(StandardCharsets.UTF_8)));
    String good = Events.uid("p");
    produceRaw(stack, 0, Events.structured("retail.product.created", Events.product(good, 10))
        .getBytes(StandardCharsets.UTF_8), structured);
    Eventually.await("product " + good, Duration.ofSeconds(30),
        () -> Optional.of(http.get(stack.demoUrl() + "/products/" + good)).filter(r -> r.status() == 200));

    String dear = Events.uid("p");
    RecordMetadata written = produceRaw(stack, 0, Events.structured("retail.product.created",
        Events.product(dear, 900_000)).getBytes(StandardCharsets.UTF_8), structured);
    String id = QuarantineItem.idFor(stack.demoGroup(), "retail", 0, written.offset());
    assertEquals("HANDLER_REJECTED", awaitItem(stack, id).get("reason").s());
    JsonObject detail = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id).json();
    assertEquals(Events.product(dear, 900_000), detail.getJsonObject("data"), "the console shows the event's data");

    Http.Response redrive = operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/redrive",
        "application/json", new JsonObject().put("data", Events.product(dear, 90)).encode());
    assertEquals(202, redrive.status(), redrive.body());
    Http.Response product = Eventually.await("fixed product " + dear, Duration.ofSeconds(30),
        () -> Optional.of(http.get(stack.demoUrl() + "/products/" + dear)).filter(r -> r.status() == 200));
    assertEquals(90, product.json().getNumber("price").intValue());
  }

  @Test
  void aRecordTooBigForTheStoreIsShownWithItsKafkaPositionAndRedrivenFromThere(Stack stack) throws Exception {
    Http http = Http.producer();
    Http operator = Http.operator();
    // As kcat would write it: 900 KB that is no CloudEvent; Kafka takes up to 1 MB, a DynamoDB item 400 KB.
    byte[] big = new byte[900 * 1024];
    java.util.Arrays.fill(big, (byte) '#');
    RecordMetadata written = produceRaw(stack, 1, big, List.of());
    String good = Events.uid("p");
    RecordMetadata after = produceRaw(stack, 1, Events.structured("retail.product.created", Events.product(good, 10))
        .getBytes(StandardCharsets.UTF_8), List.of(new RecordHeader("content-type",
            "application/cloudevents+json".getBytes(StandardCharsets.UTF_8))));
    Eventually.await("product " + good, Duration.ofSeconds(30),
        () -> Optional.of(http.get(stack.demoUrl() + "/products/" + good)).filter(r -> r.status() == 200));
    awaitCommittedPast(stack, 1, after.offset());

    String id = QuarantineItem.idFor(stack.demoGroup(), "retail", 1, written.offset());
    assertEquals("NOT_A_CLOUDEVENT", awaitItem(stack, id).get("reason").s());
    JsonObject detail = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id).json();
    assertEquals(false, detail.getBoolean("payloadStored"), detail.encode());
    assertEquals("", detail.getString("payload"));
    JsonObject ref = detail.getJsonObject("payloadInKafka");
    assertEquals(new JsonObject().put("topic", "retail").put("partition", 1).put("offset", written.offset())
        .put("size", big.length).put("sha256", java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(big)))
        .put("headersInKafka", false), ref, "its headers are small: the item keeps them");

    // The redrive reads the record back from Kafka: still no CloudEvent, so it is quarantined again, as any item.
    Http.Response redrive = operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + id + "/redrive",
        "application/json", "{}");
    assertEquals(202, redrive.status(), redrive.body());
    JsonObject again = Eventually.await("the big item quarantined again", Duration.ofSeconds(30), () -> {
      JsonObject now = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + id).json();
      return "QUARANTINED".equals(now.getString("status")) && now.getJsonArray("history").stream()
          .map(JsonObject.class::cast).anyMatch(h -> "REDRIVE_FAILED".equals(h.getString("action")))
          ? Optional.of(now) : Optional.empty();
    });
    assertEquals("NOT_A_CLOUDEVENT", again.getString("reason"), again.encode());
    assertEquals(false, "PayloadNotInKafka".equals(again.getString("errorClass")), "the record was read back: "
        + again.encode());
    assertEquals(ref, again.getJsonObject("payloadInKafka"));
  }
}
