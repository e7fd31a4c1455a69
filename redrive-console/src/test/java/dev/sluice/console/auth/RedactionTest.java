package dev.sluice.console.auth;

import static dev.sluice.console.auth.SensitiveFields.MASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.json.ItemJson;
import dev.sluice.quarantine.find.SearchableText;
import dev.sluice.quarantine.store.AuditEntry;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.Violation;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo catalog marks the photographer's name and email sensitive; its id is not. */
class RedactionTest {
  private static final String TYPE = "retail.photographer.registered";
  private static final String EMAIL = "ada@example.com";
  private static final Instant AT = Instant.parse("2025-03-01T10:15:30Z");
  private static final List<Violation> VIOLATIONS = List.of(
      new Violation("/data/email", "format", "[" + EMAIL + "] is not a valid email address"),
      new Violation("/data/id", "minLength", "too short"));
  private final SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
  private final Redaction masking = Redaction.masking(registry);
  private final JsonObject data = new JsonObject().put("id", "ph-1").put("name", "Ada").put("email", EMAIL);
  private final String dataBase64 = Base64.getEncoder().encodeToString(data.encode().getBytes(StandardCharsets.UTF_8));

  /** A refused HTTP request as the gateway keeps it (group ingress, HTTP headers), edited with {@code edited}. */
  private static QuarantineItem captured(String type, List<KafkaHeader> headers, String body, String edited) {
    return item(QuarantineItem.INGRESS_GROUP, type, headers, body, edited);
  }

  /** A Kafka record a consumer group failed. */
  private static QuarantineItem consumed(String type, List<KafkaHeader> headers, String value) {
    return item("catalog-builder", type, headers, value, null);
  }

  private static QuarantineItem item(String group, String type, List<KafkaHeader> headers, String payload,
      String edited) {
    return new QuarantineItem("i-1", QuarantineStatus.QUARANTINED, "retail", group, "retail", 0, 1,
        Optional.empty(), payload.getBytes(StandardCharsets.UTF_8), headers, Optional.of("e-1"),
        Optional.ofNullable(type), QuarantineReason.SCHEMA_VIOLATION, "x", "refused", VIOLATIONS, 0, AT, AT,
        Optional.ofNullable(edited), 0, List.of());
  }

  private static List<KafkaHeader> structuredHttp() {
    return List.of(KafkaHeader.of("content-type", "application/cloudevents+json"));
  }

  private static List<KafkaHeader> binaryHttp(String contentType, String type) {
    return List.of(KafkaHeader.of("content-type", contentType), KafkaHeader.of("ce-specversion", "1.0"),
        KafkaHeader.of("ce-id", "e-1"), KafkaHeader.of("ce-source", "/x"), KafkaHeader.of("ce-type", type));
  }

  private static List<KafkaHeader> binaryRecord(String type) {
    return List.of(KafkaHeader.of("content-type", "application/json"), KafkaHeader.of("ce_specversion", "1.0"),
        KafkaHeader.of("ce_id", "e-1"), KafkaHeader.of("ce_source", "/x"), KafkaHeader.of("ce_type", type));
  }

  private static String structured(String type, JsonObject data) {
    return new JsonObject().put("specversion", "1.0").put("type", type).put("id", "e-1").put("source", "/x")
        .put("data", data).encode();
  }

  private JsonObject shown(Redaction redaction, QuarantineItem item) {
    return redaction.item(item, ItemJson.detail(item));
  }

  @Test
  void aViewerSeesTheSensitiveFieldMaskedEverywhereItAppears() {
    JsonObject masked = shown(masking, captured(TYPE, structuredHttp(), structured(TYPE, data), data.encode()));

    assertEquals(MASK, masked.getJsonObject("data").getString("email"));
    assertEquals(MASK, masked.getJsonObject("data").getString("name"));
    assertEquals("ph-1", masked.getJsonObject("data").getString("id"));
    assertEquals(MASK, masked.getJsonObject("editedData").getString("email"));
    assertEquals(MASK, new JsonObject(masked.getString("payload")).getJsonObject("data").getString("email"));
    assertEquals("e-1", new JsonObject(masked.getString("payload")).getString("id"));
    String decoded = new String(Base64.getDecoder().decode(masked.getString("payloadBase64")), StandardCharsets.UTF_8);
    assertEquals(masked.getString("payload"), decoded);
    assertFalse(masked.encode().contains(EMAIL), masked.encode());
    assertEquals("too short", masked.getJsonArray("violations").getJsonObject(1).getString("message"));
    assertEquals("/data/email", masked.getJsonArray("violations").getJsonObject(0).getString("pointer"));
    assertFalse(masked.containsKey("payloadHidden"));
  }

  @Test
  void binaryModeAndUnreadablePayloads() {
    JsonObject binary = shown(masking, consumed(TYPE, binaryRecord(TYPE), data.encode()));
    assertEquals(MASK, new JsonObject(binary.getString("payload")).getString("email"));
    JsonObject garbled = shown(masking, consumed(TYPE, binaryRecord(TYPE), "{\"email\": \"ada@example.com\""));
    assertEquals(Redaction.UNREADABLE_PAYLOAD, garbled.getString("payload"));
  }

  @Test
  void aBinaryModeBodyThatLooksLikeAnEnvelopeIsMaskedAsTheDataItIs() {
    String body = new JsonObject().put("specversion", "1.0").put("data", new JsonObject()).put("email", EMAIL)
        .encode();
    for (QuarantineItem item : List.of(consumed(TYPE, binaryRecord(TYPE), body),
        captured(TYPE, binaryHttp("application/json", TYPE), body, null))) {
      JsonObject masked = shown(masking, item);
      assertEquals(MASK, new JsonObject(masked.getString("payload")).getString("email"), masked.encode());
      assertFalse(masked.encode().contains(EMAIL), masked.encode());
    }
  }

  @Test
  void typesWithoutMarksAndOperatorsSeeEverything() {
    QuarantineItem product = consumed("retail.product.created", binaryRecord("retail.product.created"),
        "{\"id\":\"p-1\"}");
    JsonObject productJson = ItemJson.detail(product);
    assertSame(productJson, masking.item(product, productJson));
    QuarantineItem photographer = consumed(TYPE, binaryRecord(TYPE), data.encode());
    JsonObject photographerJson = ItemJson.detail(photographer);
    assertSame(photographerJson, Redaction.clear().item(photographer, photographerJson));
    assertFalse(Redaction.clear().masks());
    assertTrue(masking.masks());
    assertEquals(data, masking.data("no.such.type", data));
  }

  /** Captured requests whose sensitive values masking cannot locate, each holding the email somewhere. */
  private Map<String, QuarantineItem> untrusted() {
    JsonObject noSpecversion = new JsonObject(structured(TYPE, data));
    noSpecversion.remove("specversion");
    JsonObject base64Event = new JsonObject(structured(TYPE, data));
    base64Event.remove("data");
    base64Event.put("data_base64", dataBase64);
    return Map.of(
        "no specversion", captured(TYPE, structuredHttp(), noSpecversion.encode(), null),
        "malformed JSON", captured(null, structuredHttp(), structured(TYPE, data).replace("}}", "}"), null),
        "data_base64", captured(TYPE, structuredHttp(), base64Event.encode(), null),
        "type differs by case", captured("Retail.Photographer.Registered", structuredHttp(),
            structured("Retail.Photographer.Registered", data), data.encode()),
        "binary text/plain", captured(TYPE, binaryHttp("text/plain", TYPE), data.encode(), null),
        "binary without a type read", captured(null, binaryHttp("text/plain", TYPE), data.encode(), null),
        "item type differs from the envelope's", captured(TYPE, structuredHttp(),
            structured("retail.product.created", data), null),
        "consumed, unregistered type", consumed("retail.photographer.updated",
            binaryRecord("retail.photographer.updated"), data.encode()),
        "consumed, not a CloudEvent", consumed(TYPE, List.of(), structured(TYPE, data)));
  }

  @Test
  void aPayloadMaskingCannotCoverIsHiddenFromAViewerWhole() {
    untrusted().forEach((why, item) -> {
      assertEquals(new String(item.payload(), StandardCharsets.UTF_8),
          shown(Redaction.clear(), item).getString("payload"), why + ": an operator sees it as it is");
      JsonObject hidden = shown(masking, item);
      assertEquals(Redaction.UNREADABLE_PAYLOAD, hidden.getString("payload"), why);
      assertEquals(Redaction.UNREADABLE_PAYLOAD, new String(Base64.getDecoder().decode(
          hidden.getString("payloadBase64")), StandardCharsets.UTF_8), why);
      assertFalse(hidden.containsKey("data"), why);
      assertFalse(hidden.containsKey("editedData"), why);
      assertEquals(true, hidden.getBoolean("payloadHidden"), why);
      assertEquals(Redaction.HIDDEN_MESSAGE, hidden.getJsonArray("violations").getJsonObject(0).getString("message"));
      assertEquals("/data/email", hidden.getJsonArray("violations").getJsonObject(0).getString("pointer"));
      assertFalse(hidden.encode().contains(EMAIL), why + ": " + hidden.encode());
      assertFalse(hidden.encode().contains(dataBase64), why + ": not even base64-encoded");
      assertEquals(Redaction.UNREADABLE_PAYLOAD, masking.itemData(item, data.encode()), why + ": lineage");
      assertEquals(List.of(), masking.searchableText().of(item), why + ": search matches nothing in it");
    });
  }

  @Test
  void theLineagesEditsAreMaskedLikeTheItem() {
    QuarantineItem item = captured(TYPE, structuredHttp(), structured(TYPE, data), null);
    assertEquals(MASK, new JsonObject(masking.itemData(item, data.encode())).getString("email"));
    assertEquals(data.encode(), Redaction.clear().itemData(item, data.encode()));
    assertEquals(Redaction.UNREADABLE_PAYLOAD, masking.itemData(item, "{not json"));
  }

  @Test
  void searchSeesWhatTheCallerSees() {
    QuarantineItem item = captured(TYPE, structuredHttp(), structured(TYPE, data),
        data.copy().put("id", "ph-2").put("name", "Bo").encode());
    assertSame(SearchableText.ALL, Redaction.clear().searchableText());
    List<String> texts = masking.searchableText().of(item);
    assertEquals(2, texts.size(), texts.toString());
    assertFalse(texts.toString().contains(EMAIL), texts.toString());
    assertTrue(texts.get(0).contains("\"id\":\"ph-1\"") && texts.get(0).contains(MASK), texts.get(0));
    assertFalse(texts.get(0).contains("Ada"), texts.get(0));
    assertTrue(texts.get(1).contains("\"id\":\"ph-2\""), texts.get(1));
    assertFalse(texts.get(1).contains("Bo"), texts.get(1));
    QuarantineItem product = consumed("retail.product.created", binaryRecord("retail.product.created"),
        "{\"id\": \"p-1\"}");
    assertEquals(SearchableText.ALL.of(product), masking.searchableText().of(product), "nothing masked: as it is");
  }

  @Test
  void dataOfAnyTypeMasksWhatAnyTypeMarks() {
    JsonObject masked = (JsonObject) masking.dataOfAnyType(data);
    assertEquals(MASK, masked.getString("email"));
    assertEquals(MASK, masked.getString("name"));
    assertEquals("ph-1", masked.getString("id"));
    assertSame(data, Redaction.clear().dataOfAnyType(data));
  }

  @Test
  void aViewerSeesWhereAPayloadTooBigForTheStoreIsKeptButNotItsDigest() {
    QuarantineItem big = consumed(TYPE, binaryRecord(TYPE), data.encode())
        .withPayloadInKafka(new AuditEntry(AT, "PAYLOAD_IN_KAFKA", "consumer:catalog-builder", "too big"));
    JsonObject operator = shown(Redaction.clear(), big).getJsonObject("payloadInKafka");
    assertEquals(64, operator.getString("sha256").length(), operator.encode());
    JsonObject viewer = shown(masking, big).getJsonObject("payloadInKafka");
    assertEquals(operator.getLong("size"), viewer.getLong("size"));
    assertEquals(1, viewer.getLong("offset"));
    assertFalse(viewer.containsKey("sha256"), viewer.encode());
  }
}
