package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith({EnginesExtension.class, StackExtension.class})
class IngestIT {
  private final Http http = Http.producer();

  /** Reads the one record at a partition and offset with a plain Kafka consumer (no group, no Sluice code). */
  private static ConsumerRecord<String, byte[]> readBack(Stack stack, int partition, long offset) {
    Map<String, Object> props = new HashMap<>(stack.kafkaProps());
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      TopicPartition tp = new TopicPartition("retail", partition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      long deadline = System.currentTimeMillis() + 15_000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
          if (r.offset() == offset) {
            return r;
          }
        }
      }
      throw new AssertionError("no record at retail-" + partition + "@" + offset);
    }
  }

  private static Map<String, String> headers(ConsumerRecord<?, ?> r) {
    Map<String, String> out = new HashMap<>();
    for (Header h : r.headers()) {
      out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  @Test
  void aValidStructuredEventIsAppendedWithCloudEventHeadersAndItsKey(Stack stack) {
    String productId = Events.uid("p");
    JsonObject data = Events.product(productId, 19.99);
    String body = Events.structured("retail.product.created", data);
    String eventId = new JsonObject(body).getString("id");

    Http.Response r = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json", body);

    assertEquals(202, r.status(), r.body());
    JsonObject ack = r.json();
    assertEquals(eventId, ack.getString("id"));
    ConsumerRecord<String, byte[]> record = readBack(stack, ack.getInteger("partition"), ack.getLong("offset"));
    assertEquals(productId, record.key(), "the partition key is data.id");
    assertEquals(data, new JsonObject(new String(record.value(), StandardCharsets.UTF_8)), "the value is the data");
    Map<String, String> h = headers(record);
    assertEquals("1.0", h.get("ce_specversion"));
    assertEquals(eventId, h.get("ce_id"));
    assertEquals("/it/producer", h.get("ce_source"));
    assertEquals("retail.product.created", h.get("ce_type"));
    assertEquals("application/json", h.get("content-type"));
  }

  @Test
  void aBinaryModeEventIsAppendedKeyedByItsProductId(Stack stack) {
    String productId = Events.uid("p");
    Http.Response r = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/json",
        Events.photo(productId, "ph-1").encode(),
        "ce-specversion", "1.0", "ce-id", "bin-" + productId, "ce-source", "/it/binary",
        "ce-type", "retail.product.photographed");

    assertEquals(202, r.status(), r.body());
    ConsumerRecord<String, byte[]> record = readBack(stack, r.json().getInteger("partition"), r.json().getLong("offset"));
    assertEquals(productId, record.key(), "the partition key is data.productId");
    assertEquals("retail.product.photographed", headers(record).get("ce_type"));
    assertEquals("bin-" + productId, headers(record).get("ce_id"));
  }

  @Test
  void schemaInvalidDataGets422WithEveryViolationPointedAt(Stack stack) {
    JsonObject data = new JsonObject().put("id", "p-bad").put("brand", "Acme").put("name", "Anvil").put("price", -5);

    Http.Response r = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        Events.structured("retail.product.created", data));

    assertEquals(422, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    JsonArray violations = r.json().getJsonArray("violations");
    Set<String> pointers = violations.stream().map(v -> ((JsonObject) v).getString("pointer")).collect(Collectors.toSet());
    assertEquals(Set.of("/data/category", "/data/price"), pointers);
    assertEquals(2, violations.size());
  }

  @Test
  void anInvalidEmailAndUrlArePointedAtToo(Stack stack) {
    Http.Response r = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        Events.structured("retail.photographer.registered",
            new JsonObject().put("id", "ph").put("name", "Ann").put("email", "not-an-email")));
    assertEquals(422, r.status(), r.body());
    assertEquals("/data/email", r.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));
  }

  @Test
  void errorsAreProblemsWithTheRightStatus(Stack stack) {
    String url = stack.gatewayUrl() + "/v1/streams/retail/events";
    Http.Response notJson = http.post(url, "application/cloudevents+json", "{\"specversion\": ");
    assertEquals(400, notJson.status(), notJson.body());
    assertTrue(notJson.contentType().startsWith("application/problem+json"));

    Http.Response noCe = http.post(url, "application/json", Events.product("p", 1).encode());
    assertEquals(400, noCe.status(), noCe.body());

    Http.Response missingId = http.post(url, "application/cloudevents+json",
        new JsonObject().put("specversion", "1.0").put("source", "/s").put("type", "retail.product.created")
            .put("data", Events.product("p", 1)).encode());
    assertEquals(400, missingId.status(), missingId.body());
    assertEquals("/id", missingId.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));

    Http.Response unknownStream = http.post(stack.gatewayUrl() + "/v1/streams/nope/events",
        "application/cloudevents+json", Events.structured("retail.product.created", Events.product("p", 1)));
    assertEquals(404, unknownStream.status(), unknownStream.body());

    Http.Response wrongType = http.post(url, "application/cloudevents+json",
        Events.structured("retail.order.placed", new JsonObject().put("id", "o")));
    assertEquals(422, wrongType.status(), wrongType.body());
  }

  @Test
  void theGatewayIsReadyOnceKafkaIsReachable(Stack stack) {
    assertEquals(200, http.get(stack.gatewayUrl() + "/health/live").status());
    Http.Response ready = dev.sluice.deploy.testing.Eventually.await("gateway ready", Duration.ofSeconds(15), () -> {
      Http.Response r = http.get(stack.gatewayUrl() + "/health/ready");
      return r.status() == 200 ? java.util.Optional.of(r) : java.util.Optional.empty();
    });
    assertEquals(200, ready.status());
  }
}
