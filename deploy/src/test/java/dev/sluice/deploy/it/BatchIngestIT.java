package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.SealedRecords;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Batches against the real stack: what the answer says is what is in the topic. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class BatchIngestIT {
  private static final String BATCH = "application/cloudevents-batch+json";
  private static final String[] AUTH = {"Authorization", "Bearer dev-producer"};
  private final Http http = new Http();

  private static String events(Stack stack) {
    return stack.gatewayUrl() + "/v1/streams/retail/events";
  }

  private static String batch(List<String> events) {
    return "[" + String.join(",", events) + "]";
  }

  private static String id(String event) {
    return new JsonObject(event).getString("id");
  }

  private static JsonArray results(Http.Response r) {
    return r.json().getJsonArray("results");
  }

  private static Set<String> idsIn(List<ConsumerRecord<String, byte[]>> records) {
    return records.stream().map(r -> RetailTopic.header(r, "ce_id")).collect(Collectors.toSet());
  }

  @Test
  void aValidBatchIsAcceptedWholeWithOneResultPerEventInOrder(Stack stack) throws Exception {
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      batch.add(Events.structured("retail.product.created", Events.product(Events.uid("p"), 10 + i)));
    }
    batch.add(Events.structured("retail.photographer.registered", Events.photographer(Events.uid("ph"), "Ann")));

    Http.Response r = http.post(events(stack), BATCH, batch(batch), AUTH);

    assertEquals(202, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    JsonArray results = results(r);
    assertEquals(batch.size(), results.size());
    for (int i = 0; i < batch.size(); i++) {
      JsonObject result = results.getJsonObject(i);
      assertEquals(i, result.getInteger("index"));
      assertEquals(id(batch.get(i)), result.getString("id"));
      assertEquals("accepted", result.getString("status"));
      ConsumerRecord<String, byte[]> record =
          RetailTopic.read(stack, result.getInteger("partition"), result.getLong("offset"));
      assertEquals(id(batch.get(i)), RetailTopic.header(record, "ce_id"), "the offset holds this very event");
      JsonObject data = new JsonObject(batch.get(i)).getJsonObject("data");
      assertEquals(data.getString("id"), record.key());
      // A photographer's name and e-mail are sealed on the ledger; opened with the key ring they are as posted.
      String value = record.headers().lastHeader(SealHeader.NAME) == null
          ? new String(record.value(), StandardCharsets.UTF_8)
          : SealedRecords.open(stack, record, "retail", "retail.photographer.registered");
      assertEquals(data, new JsonObject(value));
      assertEquals("1", RetailTopic.header(record, "sluice-schema-version"));
    }
  }

  @Test
  void eventsWithTheSameKeyLandInOnePartitionInBatchOrder(Stack stack) {
    String productId = Events.uid("p");
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      batch.add(Events.structured("retail.product.photographed", Events.photo(productId, "ph-" + i)));
    }

    Http.Response r = http.post(events(stack), BATCH, batch(batch), AUTH);

    assertEquals(202, r.status(), r.body());
    JsonArray results = results(r);
    int partition = results.getJsonObject(0).getInteger("partition");
    long previous = -1;
    for (int i = 0; i < results.size(); i++) {
      assertEquals(partition, results.getJsonObject(i).getInteger("partition"), "same key, same partition");
      long offset = results.getJsonObject(i).getLong("offset");
      assertTrue(offset > previous, "batch order is partition order: " + results);
      previous = offset;
      ConsumerRecord<String, byte[]> record = RetailTopic.read(stack, partition, offset);
      assertEquals(productId, record.key());
      assertEquals(id(batch.get(i)), RetailTopic.header(record, "ce_id"));
    }
  }

  @Test
  void anAllOrNothingBatchWithOneInvalidEventAppendsNothing(Stack stack) {
    List<String> batch = List.of(
        Events.structured("retail.product.created", Events.product(Events.uid("p"), 1)),
        Events.structured("retail.product.created", Events.product(Events.uid("p"), -1)),
        Events.structured("retail.photographer.registered", Events.photographer(Events.uid("ph"), "Bo")));
    Map<Integer, Long> before = RetailTopic.endOffsets(stack);

    Http.Response r = http.post(events(stack), BATCH, batch(batch), AUTH);

    assertEquals(422, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    assertEquals("https://sluice.dev/problems/batch-rejected", r.json().getString("type"));
    JsonArray results = results(r);
    assertEquals(List.of("aborted", "rejected", "aborted"),
        results.stream().map(o -> ((JsonObject) o).getString("status")).toList());
    assertEquals(id(batch.get(1)), results.getJsonObject(1).getString("id"));
    assertEquals("/data/price",
        results.getJsonObject(1).getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertFalse(results.getJsonObject(0).containsKey("offset"));
    // Consume everything appended since, and verify none of the batch is there.
    Set<String> appended = idsIn(RetailTopic.readFrom(stack, before));
    batch.forEach(e -> assertFalse(appended.contains(id(e)), "appended although the batch was refused: " + e));
  }

  @Test
  void aPartialBatchAppendsExactlyTheValidEvents(Stack stack) {
    List<String> batch = List.of(
        Events.structured("retail.product.created", Events.product(Events.uid("p"), 3)),
        Events.structured("retail.order.placed", new JsonObject().put("id", "o-1")),
        Events.structured("retail.product.photographed", Events.photo(Events.uid("p"), "ph-1")),
        "\"not an event\"");
    Map<Integer, Long> before = RetailTopic.endOffsets(stack);

    Http.Response r = http.post(events(stack) + "?partial=true", BATCH, batch(batch), AUTH);

    assertEquals(207, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/json"), r.contentType());
    JsonArray results = results(r);
    assertEquals(List.of("accepted", "rejected", "accepted", "rejected"),
        results.stream().map(o -> ((JsonObject) o).getString("status")).toList());
    assertEquals("/type", results.getJsonObject(1).getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertEquals("https://sluice.dev/problems/not-a-cloudevent", results.getJsonObject(3).getString("problem"));
    assertTrue(results.getJsonObject(3).getValue("id") == null);
    for (int i : new int[] {0, 2}) {
      JsonObject accepted = results.getJsonObject(i);
      ConsumerRecord<String, byte[]> record =
          RetailTopic.read(stack, accepted.getInteger("partition"), accepted.getLong("offset"));
      assertEquals(id(batch.get(i)), RetailTopic.header(record, "ce_id"));
    }
    Set<String> appended = idsIn(RetailTopic.readFrom(stack, before));
    assertTrue(appended.contains(id(batch.get(0))) && appended.contains(id(batch.get(2))), appended.toString());
    assertFalse(appended.contains(id(batch.get(1))), "the rejected event is not in the topic");
  }

  @Test
  void aBatchOverTheEventLimitIs413AndAppendsNothing(Stack stack) {
    List<String> batch = new ArrayList<>();
    for (int i = 0; i < 501; i++) {
      batch.add(Events.structured("retail.photographer.registered", Events.photographer("ph-" + i, "N")));
    }
    Map<Integer, Long> before = RetailTopic.endOffsets(stack);

    Http.Response r = http.post(events(stack), BATCH, batch(batch), AUTH);

    assertEquals(413, r.status(), r.body());
    assertTrue(r.contentType().startsWith("application/problem+json"), r.contentType());
    assertEquals("https://sluice.dev/problems/batch-too-large", r.json().getString("type"));
    assertEquals(500, r.json().getInteger("maxEvents"));
    Set<String> appended = idsIn(RetailTopic.readFrom(stack, before));
    assertFalse(appended.contains(id(batch.get(0))));
  }

  @Test
  void anEmptyBatchIs400(Stack stack) {
    Http.Response r = http.post(events(stack), BATCH, "[]", AUTH);
    assertEquals(400, r.status(), r.body());
    assertEquals("https://sluice.dev/problems/empty-batch", r.json().getString("type"));
  }
}
