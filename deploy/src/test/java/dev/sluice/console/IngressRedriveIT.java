package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Eventually;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A request the gateway refused is kept as an ingress item; the operator fixes it and redrives it, and it is appended
 * to its stream (it never was), with its original CloudEvent id, exactly once, and the demo consumer takes it.
 */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class IngressRedriveIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String TOPIC = "retail";
  private final Http http = Http.producer();
  /** The console API, as the dev operator (its token name is what the audit trail records). */
  private final Http operator = Http.operator();

  private static JsonObject product(String id, Object price) {
    return new JsonObject().put("id", id).put("brand", "Acme").put("name", "Anvil " + id)
        .put("category", "tools").put("price", price);
  }

  private Http.Response redrive(Stack stack, String itemId, String body) {
    return operator.post(stack.consoleUrl() + "/api/v1/quarantine/" + itemId + "/redrive", "application/json", body);
  }

  private static String withData(JsonObject data) {
    return new JsonObject().put("data", data).encode();
  }

  private JsonObject awaitItem(Stack stack, String itemId) {
    return Eventually.await("ingress item " + itemId, WAIT, () -> Optional.of(
        operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + itemId)).filter(r -> r.status() == 200)
        .map(Http.Response::json));
  }

  private JsonObject item(Stack stack, String itemId) {
    Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + itemId);
    assertEquals(200, r.status(), r.body());
    return r.json();
  }

  private static List<String> pointers(Http.Response problem) {
    List<String> out = new ArrayList<>();
    problem.json().getJsonArray("violations").forEach(v -> out.add(((JsonObject) v).getString("pointer")));
    return out;
  }

  @Test
  void aRefusedProductIsFixedRedrivenAppendedWithItsOriginalIdAndServedByTheDemo(Stack stack) {
    String productId = "p-" + UUID.randomUUID().toString().substring(0, 8);
    String eventId = UUID.randomUUID().toString();
    String body = new JsonObject().put("specversion", "1.0").put("id", eventId).put("source", "/it/ingress-redrive")
        .put("type", "retail.product.created").put("data", product(productId, -5)).encode();
    Http.Response refused = http.post(stack.gatewayUrl() + "/v1/streams/retail/events",
        "application/cloudevents+json", body);
    assertEquals(422, refused.status(), refused.body());

    String itemId = QuarantineItem.ingressIdFor("retail", "/it/ingress-redrive", eventId,
        body.getBytes(StandardCharsets.UTF_8));
    JsonObject captured = awaitItem(stack, itemId);
    assertEquals("QUARANTINED", captured.getString("status"));
    assertEquals(QuarantineItem.INGRESS_GROUP, captured.getString("group"));
    assertEquals(-5, captured.getJsonObject("data").getInteger("price"), "the detail shows the decoded data");

    // Redriven as it is, it would be refused again: 422 with the pointer, and nothing changes.
    Http.Response asIs = redrive(stack, itemId, "");
    assertEquals(422, asIs.status(), asIs.body());
    assertTrue(asIs.contentType().startsWith("application/problem+json"), asIs.contentType());
    assertEquals(List.of("/data/price"), pointers(asIs));

    // A broken fix: 422 with its violations, nothing written, still QUARANTINED.
    Http.Response broken = redrive(stack, itemId, withData(product(productId, 25).copy().put("name", 7)));
    assertEquals(422, broken.status(), broken.body());
    assertEquals("https://sluice.dev/problems/schema-violation", broken.json().getString("type"));
    assertEquals(List.of("/data/name"), pointers(broken));
    assertEquals("QUARANTINED", item(stack, itemId).getString("status"));

    // The good fix is appended, and the answer says where.
    Http.Response fixed = redrive(stack, itemId, withData(product(productId, 25)));
    assertEquals(202, fixed.status(), fixed.body());
    JsonObject accepted = fixed.json();
    assertEquals("RESOLVED", accepted.getString("status"));
    JsonObject at = accepted.getJsonObject("appendedTo");
    assertEquals(TOPIC, at.getString("topic"));

    ConsumerRecord<String, byte[]> record = recordAt(stack, at.getInteger("partition"), at.getLong("offset"));
    Map<String, String> headers = headers(record);
    assertEquals(eventId, headers.get("ce_id"), "the original CloudEvent id is kept");
    assertEquals("/it/ingress-redrive", headers.get("ce_source"));
    assertEquals("retail.product.created", headers.get("ce_type"));
    assertEquals("1", headers.get("sluice-schema-version"));
    assertEquals(productId, record.key(), "keyed by the type's partition key");
    assertEquals(product(productId, 25), new JsonObject(new String(record.value(), StandardCharsets.UTF_8)));

    JsonObject resolved = item(stack, itemId);
    assertEquals("RESOLVED", resolved.getString("status"));
    String position = TOPIC + "-" + at.getInteger("partition") + "@" + at.getLong("offset");
    assertTrue(resolved.getJsonArray("history").stream().map(JsonObject.class::cast).anyMatch(h ->
            "RESOLVED".equals(h.getString("action")) && Http.DEV_OPERATOR.equals(h.getString("actor"))
                && h.getString("detail").contains("appended to " + position)),
        "the audit trail gives the new position: " + resolved.getJsonArray("history").encode());
    JsonObject lineage = operator.get(stack.consoleUrl() + "/api/v1/quarantine/" + itemId + "/lineage").json();
    JsonObject last = lineage.getJsonArray("lineage").getJsonObject(lineage.getJsonArray("lineage").size() - 1);
    assertEquals("APPENDED", last.getString("stage"), lineage.encode());
    assertEquals(position, last.getString("position"), "the lineage ends at the new position");

    Http.Response again = redrive(stack, itemId, withData(product(productId, 25)));
    assertEquals(409, again.status(), again.body());

    JsonObject served = Eventually.await("product " + productId + " in the demo view", WAIT, () -> {
      Http.Response r = http.get(stack.demoUrl() + "/products/" + productId);
      return r.status() == 200 ? Optional.of(r.json()) : Optional.empty();
    });
    assertEquals(25, served.getNumber("price").intValue());
  }

  @Test
  void aBinaryModeRequestWhoseBodyIsNotJsonIsRedrivenWithReplacementData(Stack stack) {
    String productId = "p-" + UUID.randomUUID().toString().substring(0, 8);
    String eventId = UUID.randomUUID().toString();
    String body = "{\"id\": \"" + productId + "\", \"price\": }";
    Http.Response refused = http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/json", body,
        "ce-specversion", "1.0", "ce-id", eventId, "ce-source", "/it/binary", "ce-type", "retail.product.created");
    assertEquals(400, refused.status(), refused.body());

    // An unreadable request keeps no source or id; its body tells it apart.
    String itemId = QuarantineItem.ingressIdFor("retail", null, null, body.getBytes(StandardCharsets.UTF_8));
    assertEquals("MALFORMED", awaitItem(stack, itemId).getString("reason"));

    Http.Response asIs = redrive(stack, itemId, "");
    assertEquals(422, asIs.status(), asIs.body());
    assertEquals("https://sluice.dev/problems/unreadable-event", asIs.json().getString("type"));
    assertEquals("QUARANTINED", item(stack, itemId).getString("status"));

    Http.Response fixed = redrive(stack, itemId, withData(product(productId, 12.5)));
    assertEquals(202, fixed.status(), fixed.body());
    JsonObject at = fixed.json().getJsonObject("appendedTo");
    ConsumerRecord<String, byte[]> record = recordAt(stack, at.getInteger("partition"), at.getLong("offset"));
    assertEquals(eventId, headers(record).get("ce_id"), "the envelope comes from the ce- headers");
    assertEquals("/it/binary", headers(record).get("ce_source"));
    assertEquals(productId, record.key());
  }

  @Test
  void twoConcurrentRedrivesAppendTheEventOnce(Stack stack) {
    String productId = "p-" + UUID.randomUUID().toString().substring(0, 8);
    String eventId = UUID.randomUUID().toString();
    String body = new JsonObject().put("specversion", "1.0").put("id", eventId).put("source", "/it/race")
        .put("type", "retail.product.created").put("data", product(productId, 0)).encode();
    assertEquals(422, http.post(stack.gatewayUrl() + "/v1/streams/retail/events", "application/cloudevents+json",
        body).status());
    String itemId = QuarantineItem.ingressIdFor("retail", "/it/race", eventId, body.getBytes(StandardCharsets.UTF_8));
    awaitItem(stack, itemId);
    Map<Integer, Long> before = endOffsets(stack);

    String fix = withData(product(productId, 3));
    CompletableFuture<Http.Response> first = CompletableFuture.supplyAsync(() -> redrive(stack, itemId, fix));
    CompletableFuture<Http.Response> second = CompletableFuture.supplyAsync(() -> redrive(stack, itemId, fix));
    List<Integer> statuses = new ArrayList<>(List.of(first.join().status(), second.join().status()));
    statuses.sort(Integer::compareTo);
    assertEquals(List.of(202, 409), statuses, first.join().body() + " / " + second.join().body());

    long appended = readFrom(stack, before).stream().filter(r -> eventId.equals(headers(r).get("ce_id"))).count();
    assertEquals(1, appended, "exactly one record with the event's id");
  }

  // ------------------------------------------------------------------------------------------- the retail topic

  private static KafkaConsumer<String, byte[]> consumer(Stack stack) {
    return new KafkaConsumer<>(new HashMap<>(stack.kafkaProps()), new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
    List<TopicPartition> out = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(TOPIC, Duration.ofSeconds(15))) {
      out.add(new TopicPartition(TOPIC, p.partition()));
    }
    return out;
  }

  private static Map<Integer, Long> endOffsets(Stack stack) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
      Map<Integer, Long> out = new HashMap<>();
      consumer.endOffsets(partitions(consumer), Duration.ofSeconds(15)).forEach((tp, o) -> out.put(tp.partition(), o));
      return out;
    }
  }

  /** Every record from the given offsets up to the partitions' current ends. */
  private static List<ConsumerRecord<String, byte[]>> readFrom(Stack stack, Map<Integer, Long> from) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
      List<TopicPartition> tps = partitions(consumer);
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(15));
      consumer.assign(tps);
      tps.forEach(tp -> consumer.seek(tp, from.getOrDefault(tp.partition(), 0L)));
      List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 15_000;
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("could not read " + TOPIC + " up to " + ends);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (r.offset() < ends.get(new TopicPartition(TOPIC, r.partition()))) {
            out.add(r);
          }
        });
      }
      return out;
    }
  }

  private static ConsumerRecord<String, byte[]> recordAt(Stack stack, int partition, long offset) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
      TopicPartition tp = new TopicPartition(TOPIC, partition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      long deadline = System.currentTimeMillis() + 15_000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() == offset) {
            return r;
          }
        }
      }
      throw new AssertionError("no record at " + TOPIC + "-" + partition + "@" + offset);
    }
  }

  /** A record's headers as text; the last value wins for a repeated key. */
  private static Map<String, String> headers(ConsumerRecord<?, ?> r) {
    Map<String, String> out = new HashMap<>();
    for (Header h : r.headers()) {
      out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    return out;
  }
}
