package dev.sluice.deploy.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** What the gateway adds to a record besides the CloudEvent: the schema version used and the trace context. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class IngestHeadersIT {
  private static final String CE = "application/cloudevents+json";
  private static final String TRACEPARENT = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
  private final Http http = new Http();

  private static String url(Stack stack) {
    return stack.gatewayUrl() + "/v1/streams/retail/events";
  }

  private static String pinned(String dataschema) {
    return new JsonObject(Events.structured("retail.product.created", Events.product(Events.uid("p"), 5)))
        .put("dataschema", dataschema).encode();
  }

  private static ConsumerRecord<String, byte[]> record(Stack stack, JsonObject ack) {
    return RetailTopic.read(stack, ack.getInteger("partition"), ack.getLong("offset"));
  }

  @Test
  void aPinnedVersionIsTheOneValidatedAndNamedOnTheRecord(Stack stack) {
    Http.Response r = http.post(url(stack), CE,
        pinned("https://sluice.example/v1/schemas/retail.product.created/versions/1"),
        "Authorization", "Bearer dev-producer");
    assertEquals(202, r.status(), r.body());
    assertEquals(1, r.json().getInteger("schemaVersion"));
    ConsumerRecord<String, byte[]> record = record(stack, r.json());
    assertEquals("1", RetailTopic.header(record, "sluice-schema-version"));
    assertEquals("https://sluice.example/v1/schemas/retail.product.created/versions/1",
        RetailTopic.header(record, "ce_dataschema"));
  }

  @Test
  void withoutDataschemaTheLatestVersionIsNamed(Stack stack) {
    Http.Response r = http.post(url(stack), CE,
        Events.structured("retail.product.created", Events.product(Events.uid("p"), 5)),
        "Authorization", "Bearer dev-producer");
    assertEquals(202, r.status(), r.body());
    assertEquals("1", RetailTopic.header(record(stack, r.json()), "sluice-schema-version"));
  }

  @Test
  void anUnknownVersionOrAForeignDataschemaIs422AtDataschema(Stack stack) {
    Http.Response unknown = http.post(url(stack), CE, pinned("/v1/schemas/retail.product.created/versions/99"),
        "Authorization", "Bearer dev-producer");
    assertEquals(422, unknown.status(), unknown.body());
    assertEquals("https://sluice.dev/problems/unknown-schema-version", unknown.json().getString("type"));
    assertEquals("/dataschema", unknown.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));

    Http.Response foreign = http.post(url(stack), CE, pinned("https://example.com/product.schema.json"),
        "Authorization", "Bearer dev-producer");
    assertEquals(422, foreign.status(), foreign.body());
    assertEquals("https://sluice.dev/problems/unsupported-dataschema", foreign.json().getString("type"));
    assertTrue(foreign.json().getString("detail").contains("/v1/schemas/{type}/versions/{n}"),
        foreign.json().getString("detail"));
  }

  @Test
  void aValidTraceparentIsCopiedToTheRecord(Stack stack) {
    Http.Response r = http.post(url(stack), CE,
        Events.structured("retail.product.created", Events.product(Events.uid("p"), 5)),
        "Authorization", "Bearer dev-producer", "traceparent", TRACEPARENT, "tracestate", "sluice=it");
    assertEquals(202, r.status(), r.body());
    ConsumerRecord<String, byte[]> record = record(stack, r.json());
    assertEquals(TRACEPARENT, RetailTopic.header(record, "traceparent"));
    assertEquals("sluice=it", RetailTopic.header(record, "tracestate"));
  }

  @Test
  void anInvalidTraceparentIsIgnored(Stack stack) {
    Http.Response r = http.post(url(stack), CE,
        Events.structured("retail.product.created", Events.product(Events.uid("p"), 5)),
        "Authorization", "Bearer dev-producer", "traceparent", "00-00000000000000000000000000000000-00f067aa0ba902b7-01",
        "tracestate", "sluice=it");
    assertEquals(202, r.status(), r.body());
    ConsumerRecord<String, byte[]> record = record(stack, r.json());
    assertNull(RetailTopic.header(record, "traceparent"));
    assertNull(RetailTopic.header(record, "tracestate"));
  }

  @Test
  void everyEventOfABatchCarriesTheTraceContext(Stack stack) {
    String batch = "[" + Events.structured("retail.product.created", Events.product(Events.uid("p"), 5)) + ","
        + Events.structured("retail.product.photographed", Events.photo(Events.uid("p"), "ph")) + "]";
    Http.Response r = http.post(url(stack), "application/cloudevents-batch+json", batch,
        "Authorization", "Bearer dev-producer", "traceparent", TRACEPARENT);
    assertEquals(202, r.status(), r.body());
    JsonArray results = r.json().getJsonArray("results");
    for (int i = 0; i < results.size(); i++) {
      assertEquals(TRACEPARENT, RetailTopic.header(record(stack, results.getJsonObject(i)), "traceparent"));
    }
  }

  @Test
  void thePartitionKeyExtensionIsRefusedWhereTheStreamKeysByData(Stack stack) {
    String event = new JsonObject(Events.structured("retail.product.created", Events.product(Events.uid("p"), 5)))
        .put("partitionkey", "tenant-1").encode();
    Http.Response r = http.post(url(stack), CE, event, "Authorization", "Bearer dev-producer");
    assertEquals(422, r.status(), r.body());
    assertEquals("https://sluice.dev/problems/partition-key-extension-not-allowed", r.json().getString("type"));
    assertEquals("/partitionkey", r.json().getJsonArray("violations").getJsonObject(0).getString("pointer"));
  }
}
