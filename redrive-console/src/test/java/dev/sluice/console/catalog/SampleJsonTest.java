package dev.sluice.console.catalog;

import static dev.sluice.console.auth.SensitiveFields.MASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.auth.Redaction;
import dev.sluice.crypto.keys.KeyVersion;
import dev.sluice.crypto.seal.SealHeader;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A record from a topic's end as the catalog shows it. The demo catalog marks the photographer's name and email;
 * on the ledger they are sealed ciphertexts, which an operator sees as they are and a viewer never sees at all.
 */
class SampleJsonTest {
  private static final String TYPE = "retail.photographer.registered";
  private static final String SEALED_NAME = "sluice:v1:bmFtZS1jaXBoZXJ0ZXh0";
  private static final String SEALED_EMAIL = "sluice:v1:ZW1haWwtY2lwaGVydGV4dA";
  private final SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
  private final Redaction viewer = Redaction.masking(registry);
  private final Redaction operator = Redaction.clear();

  private static List<KafkaHeader> binary(String type, boolean sealed) {
    List<KafkaHeader> h = new ArrayList<>(List.of(KafkaHeader.of("content-type", "application/json"),
        KafkaHeader.of("ce_specversion", "1.0"), KafkaHeader.of("ce_id", "e-1"), KafkaHeader.of("ce_source", "/x"),
        KafkaHeader.of("ce_type", type), KafkaHeader.of("ce_time", "2025-03-01T10:15:30Z"),
        KafkaHeader.of("sluice-schema-version", "1")));
    if (sealed) {
      h.add(new KafkaHeader(SealHeader.NAME,
          SealHeader.of("ph-1", new KeyVersion(1, 7), List.of("/name", "/email")).encode()));
    }
    return h;
  }

  private static CatalogKafka.TailRecord record(List<KafkaHeader> headers, String value) {
    return new CatalogKafka.TailRecord(2, 41, 1_740_824_130_000L, headers, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String photographer() {
    return new JsonObject().put("id", "ph-1").put("name", SEALED_NAME).put("email", SEALED_EMAIL).encode();
  }

  @Test
  void aViewerSeesTheMarkedValuesMaskedNotEvenTheirCiphertexts() {
    JsonObject s = SampleJson.of(record(binary(TYPE, true), photographer()), viewer, registry.state());
    JsonObject data = s.getJsonObject("data");
    assertEquals(new JsonObject().put("id", "ph-1").put("name", MASK).put("email", MASK), data);
    assertFalse(s.encode().contains(SEALED_NAME) || s.encode().contains(SEALED_EMAIL), s.encode());
    assertFalse(s.containsKey("dataHidden"));
  }

  @Test
  void anOperatorSeesTheRecordAsTheLedgerHoldsItSealed() {
    JsonObject s = SampleJson.of(record(binary(TYPE, true), photographer()), operator, registry.state());
    assertEquals(new JsonObject(photographer()), s.getJsonObject("data"));
    assertEquals(new JsonArray().add("/email").add("/name"), s.getJsonArray("sealed"));
    assertEquals(2, s.getInteger("partition"));
    assertEquals(41, s.getLong("offset"));
    assertEquals("2025-03-01T10:15:30Z", s.getString("timestamp"));
    assertEquals("e-1", s.getString("id"));
    assertEquals(TYPE, s.getString("type"));
    assertEquals("/x", s.getString("source"));
    assertEquals(1, s.getInteger("schemaVersion"));
  }

  @Test
  void unmarkedDataIsShownToAViewerAsItIs() {
    String data = "{\"id\":\"p-1\",\"name\":\"Anvil\"}";
    JsonObject s = SampleJson.of(record(binary("retail.product.created", false), data), viewer, registry.state());
    assertEquals(new JsonObject(data), s.getJsonObject("data"));
    assertFalse(s.containsKey("sealed"));
  }

  @Test
  void aViewerGetsDataMaskingCannotCoverHiddenWhole() {
    // An unregistered type has no schema to say what is marked; a value that is not a CloudEvent has no type at all.
    JsonObject unknown = SampleJson.of(record(binary("who.knows", false), "{\"email\":\"a@b.c\"}"), viewer,
        registry.state());
    assertTrue(unknown.getBoolean("dataHidden"));
    assertEquals(Redaction.UNREADABLE_PAYLOAD, unknown.getString("data"));
    JsonObject notAnEvent = SampleJson.of(record(List.of(), "{\"email\":\"a@b.c\"}"), viewer, registry.state());
    assertTrue(notAnEvent.getBoolean("notACloudEvent"));
    assertFalse(notAnEvent.encode().contains("a@b.c"), notAnEvent.encode());
    // The operator sees both.
    assertTrue(SampleJson.of(record(List.of(), "{\"email\":\"a@b.c\"}"), operator, registry.state()).encode()
        .contains("a@b.c"));
  }
}
