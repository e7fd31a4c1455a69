package dev.sluice.console.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.redrive.Redriven;
import dev.sluice.console.support.Items;
import dev.sluice.ingest.kafka.Appended;
import dev.sluice.quarantine.store.HandlerAttempt;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ItemJsonTest {

  @Test
  void summaryCarriesEveryListFieldWithIsoTimes() {
    QuarantineItem item = Items.rejectedProduct();
    JsonObject json = ItemJson.summary(item);

    assertEquals(Set.of("id", "status", "stream", "group", "type", "eventId", "reason", "errorClass", "errorMessage",
        "attempts", "topic", "partition", "offset", "key", "quarantinedAt", "updatedAt", "redriveCount", "nextAttemptAt",
        "parkedBehind", "generation", "fingerprint"),
        json.fieldNames());
    assertEquals(dev.sluice.quarantine.find.Fingerprint.of(item).id(), json.getString("fingerprint"));
    assertEquals(item.id(), json.getString("id"));
    assertEquals("QUARANTINED", json.getString("status"));
    assertEquals("retail", json.getString("stream"));
    assertEquals("catalog-builder", json.getString("group"));
    assertEquals("retail.product.created", json.getString("type"));
    assertEquals("evt-9", json.getString("eventId"));
    assertEquals("HANDLER_REJECTED", json.getString("reason"));
    assertEquals("dev.sluice.demo.PriceTooHigh", json.getString("errorClass"));
    assertEquals("price 250000 exceeds 100000", json.getString("errorMessage"));
    assertEquals(1, json.getInteger("attempts"));
    assertEquals(2, json.getInteger("partition"));
    assertEquals(41L, json.getLong("offset"));
    assertEquals("p-1", json.getString("key"));
    assertEquals("2025-03-01T10:15:30.123Z", json.getString("quarantinedAt"));
    assertEquals("2025-03-01T10:20:00Z", json.getString("updatedAt"));
    assertEquals(0, json.getInteger("redriveCount"));
  }

  @Test
  void absentOptionalsAreNullInTheSummary() {
    QuarantineItem item = Items.item(QuarantineStatus.QUARANTINED, new byte[] {1, 2}, Optional.empty(),
        Optional.empty());
    JsonObject json = ItemJson.summary(withoutKey(item));

    assertTrue(json.containsKey("type"));
    assertNull(json.getString("type"));
    assertNull(json.getString("eventId"));
    assertNull(json.getString("key"));
  }

  @Test
  void detailParsesJsonPayloadAndEditedData() {
    QuarantineItem item = Items.item(QuarantineStatus.REDRIVEN, Items.PRODUCT.getBytes(StandardCharsets.UTF_8),
        Optional.of("retail.product.created"), Optional.of("{\"id\":\"p-1\",\"price\":99}"));
    JsonObject json = ItemJson.detail(item);

    assertEquals(Items.PRODUCT, json.getString("payload"));
    assertEquals(250000, json.getJsonObject("data").getInteger("price"));
    assertEquals(new JsonObject().put("id", "p-1").put("price", 99), json.getJsonObject("editedData"));
    assertEquals(
        new JsonArray().add(new JsonObject().put("key", "ce_type").put("value", "retail.product.created"))
            .add(new JsonObject().put("key", "ce_id").put("value", "evt-9")),
        json.getJsonArray("headers"));
    assertEquals(
        new JsonArray().add(new JsonObject().put("pointer", "/data/price").put("keyword", "maximum")
            .put("message", "too high")),
        json.getJsonArray("violations"));
    JsonObject audit = json.getJsonArray("history").getJsonObject(0);
    assertEquals("2025-03-01T10:15:30.123Z", audit.getString("at"));
    assertEquals("QUARANTINED", audit.getString("action"));
    assertEquals("catalog-builder", audit.getString("actor"));
    assertEquals("handler rejected", audit.getString("detail"));
    // The summary fields are all there too.
    assertTrue(json.fieldNames().containsAll(ItemJson.summary(item).fieldNames()));
  }

  @Test
  void detailOmitsDataWhenThePayloadIsNotJson() {
    byte[] notJson = "{\"id\": \"p-1\", oops".getBytes(StandardCharsets.UTF_8);
    QuarantineItem item = Items.item(QuarantineStatus.QUARANTINED, notJson, Optional.empty(), Optional.empty());
    JsonObject json = ItemJson.detail(item);

    assertFalse(json.containsKey("data"));
    assertFalse(json.containsKey("editedData"));
    assertEquals("{\"id\": \"p-1\", oops", json.getString("payload"));
  }

  @Test
  void detailOmitsDataForTrailingGarbageAndKeepsBinaryExactInBase64() {
    byte[] trailing = "{\"a\":1} {\"b\":2}".getBytes(StandardCharsets.UTF_8);
    assertFalse(ItemJson.detail(Items.item(QuarantineStatus.QUARANTINED, trailing, Optional.empty(),
        Optional.empty())).containsKey("data"));

    byte[] binary = {(byte) 0xff, (byte) 0xfe, 0x00, 0x41};
    JsonObject json = ItemJson.detail(Items.item(QuarantineStatus.QUARANTINED, binary, Optional.empty(),
        Optional.empty()));
    assertFalse(json.containsKey("data"));
    assertEquals("\uFFFD\uFFFD\u0000A", json.getString("payload"));
    assertEquals(List.of((byte) 0xff, (byte) 0xfe, (byte) 0x00, (byte) 0x41),
        toList(Base64.getDecoder().decode(json.getString("payloadBase64"))));
  }

  @Test
  void theDetailOfAnIngressRejectShowsTheDataOfTheRefusedRequest() {
    // Structured mode: the body is the whole event; the data is its data member, exact number text kept.
    QuarantineItem structured = Items.ingressReject(
        Items.structuredProduct("{\"id\":\"p-1\",\"price\":-5.50}"), Items.structuredHeaders());
    JsonObject json = ItemJson.detail(structured);
    assertEquals(new JsonObject().put("id", "p-1").put("price", -5.5), json.getJsonObject("data"));
    assertEquals("ingress", json.getString("group"));
    assertEquals(-1, json.getInteger("partition"));

    // Binary mode: the body is the data.
    QuarantineItem binary = Items.ingressReject("{\"id\":\"p-2\"}", List.of(
        KafkaHeader.of("content-type", "application/json"), KafkaHeader.of("ce-specversion", "1.0"),
        KafkaHeader.of("ce-id", "e"), KafkaHeader.of("ce-source", "/s"), KafkaHeader.of("ce-type", "t")));
    assertEquals(new JsonObject().put("id", "p-2"), ItemJson.detail(binary).getJsonObject("data"));

    // Not readable at all: no data, the payload is still shown.
    QuarantineItem garbage = Items.ingressReject("{oops", Items.structuredHeaders());
    assertFalse(ItemJson.detail(garbage).containsKey("data"));
    assertEquals("{oops", ItemJson.detail(garbage).getString("payload"));
  }

  @Test
  void aCapturedRequestShowsOnlyTheAllowedHeadersWhateverWasStored() {
    // Stored before the gateway kept only the allowed headers: credentials under other names among them.
    QuarantineItem item = Items.ingressReject(Items.structuredProduct("{}"), List.of(
        KafkaHeader.of("content-type", "application/cloudevents+json"), KafkaHeader.of("x-api-key", "key-secret"),
        KafkaHeader.of("x-amz-security-token", "token-secret"), KafkaHeader.of("authorization", "Bearer secret"),
        KafkaHeader.of("traceparent", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"),
        KafkaHeader.of("user-agent", "producer/1.0"), KafkaHeader.of("ce-partitionkey", "p-1")));
    JsonArray headers = ItemJson.detail(item).getJsonArray("headers");
    assertEquals(List.of("content-type", "traceparent", "user-agent", "ce-partitionkey"),
        headers.stream().map(h -> ((JsonObject) h).getString("key")).toList());
    assertFalse(headers.encode().contains("secret"), headers.encode());
  }

  @Test
  void anAcceptedIngressRedriveSaysWhereTheEventWasAppended() {
    QuarantineItem item = Items.ingressReject(Items.structuredProduct("{}"), Items.structuredHeaders());
    JsonObject json = ItemJson.redriven(
        new Redriven(item, Optional.of(new Appended("retail", 1, 42))));
    assertEquals(new JsonObject().put("topic", "retail").put("partition", 1).put("offset", 42L),
        json.getJsonObject("appendedTo"));
    assertFalse(ItemJson.redriven(new Redriven(Items.rejectedProduct(), Optional.empty())).containsKey("appendedTo"));
  }

  @Test
  void summariesKeepTheStoreOrder() {
    QuarantineItem a = Items.rejectedProduct();
    QuarantineItem b = Items.item(QuarantineStatus.RESOLVED, new byte[0], Optional.empty(), Optional.empty());
    JsonArray items = ItemJson.summaries(List.of(b, a)).getJsonArray("items");
    assertEquals(2, items.size());
    assertEquals("RESOLVED", items.getJsonObject(0).getString("status"));
    assertEquals("QUARANTINED", items.getJsonObject(1).getString("status"));
  }

  @Test
  void eachAttemptCarriesItsStackTraceOnlyWhenItHasOne() {
    QuarantineItem i = Items.rejectedProduct();
    HandlerAttempt failed = HandlerAttempt.failed(i.quarantinedAt(), HandlerAttempt.Tier.IN_PLACE,
        new IllegalStateException("price too high"));
    HandlerAttempt old = new HandlerAttempt(i.quarantinedAt(), HandlerAttempt.Tier.DELAYED, "E", "no trace kept");
    QuarantineItem item = new QuarantineItem(i.id(), i.status(), i.stream(), i.group(), i.topic(), i.partition(),
        i.offset(), i.key(), i.payload(), i.headers(), i.eventId(), i.eventType(), i.reason(), i.errorClass(),
        i.errorMessage(), i.violations(), 3, i.quarantinedAt(), i.updatedAt(), i.editedData(), i.redriveCount(),
        i.history(), List.of(failed, old, HandlerAttempt.succeeded(i.updatedAt(), HandlerAttempt.Tier.REDRIVE)),
        Optional.empty(), Optional.empty(), 0);

    JsonArray attempts = ItemJson.detail(item).getJsonArray("attemptLog");
    assertEquals(failed.stackTrace().orElseThrow(), attempts.getJsonObject(0).getString("stackTrace"));
    assertTrue(attempts.getJsonObject(0).getString("stackTrace")
        .startsWith("java.lang.IllegalStateException: price too high\n\tat "));
    assertFalse(attempts.getJsonObject(1).containsKey("stackTrace"), "absent, not null or empty");
    assertFalse(attempts.getJsonObject(2).containsKey("stackTrace"));
  }

  private static QuarantineItem withoutKey(QuarantineItem i) {
    return new QuarantineItem(i.id(), i.status(), i.stream(), i.group(), i.topic(), i.partition(), i.offset(),
        Optional.empty(), i.payload(), i.headers(), i.eventId(), i.eventType(), i.reason(), i.errorClass(),
        i.errorMessage(), i.violations(), i.attempts(), i.quarantinedAt(), i.updatedAt(), i.editedData(),
        i.redriveCount(), i.history());
  }

  private static List<Byte> toList(byte[] bytes) {
    Byte[] boxed = new Byte[bytes.length];
    for (int i = 0; i < bytes.length; i++) {
      boxed[i] = bytes[i];
    }
    return List.of(boxed);
  }

  @Test
  void theSchemaVersionComesFromTheGatewaysHeader() {
    assertEquals(3, ItemJson.schemaVersion(java.util.List.of(
        new dev.sluice.schemas.event.KafkaHeader("ce_id", "x".getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new dev.sluice.schemas.event.KafkaHeader("sluice-schema-version",
            "3".getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
    assertEquals(null, ItemJson.schemaVersion(java.util.List.of()));
    assertEquals(null, ItemJson.schemaVersion(java.util.List.of(new dev.sluice.schemas.event.KafkaHeader(
        "sluice-schema-version", "x".getBytes(java.nio.charset.StandardCharsets.UTF_8)))));
  }
}
