package dev.sluice.console.auth;

import static dev.sluice.console.auth.SensitiveFields.MASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The demo catalog marks the photographer's email sensitive. */
class RedactionTest {
  private static final String TYPE = "retail.photographer.registered";
  private final SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
  private final JsonObject data = new JsonObject().put("id", "ph-1").put("name", "Ada").put("email", "ada@example.com");

  private static JsonObject item(String type, JsonObject data, String payload) {
    return new JsonObject().put("id", "i-1").put("type", type).put("data", data).put("editedData", data)
        .put("payload", payload)
        .put("payloadBase64", Base64.getEncoder().encodeToString(payload.getBytes(StandardCharsets.UTF_8)))
        .put("violations", new JsonArray()
            .add(new JsonObject().put("pointer", "/data/email").put("keyword", "format")
                .put("message", "[ada@example.com] is not a valid email address"))
            .add(new JsonObject().put("pointer", "/data/id").put("keyword", "minLength").put("message", "too short")));
  }

  @Test
  void aViewerSeesTheSensitiveFieldMaskedEverywhereItAppears() {
    JsonObject structured = new JsonObject().put("specversion", "1.0").put("type", TYPE).put("id", "e-1")
        .put("source", "/x").put("data", data);
    JsonObject masked = Redaction.masking(registry).item(item(TYPE, data, structured.encode()));

    assertEquals(MASK, masked.getJsonObject("data").getString("email"));
    assertEquals("Ada", masked.getJsonObject("data").getString("name"));
    assertEquals(MASK, masked.getJsonObject("editedData").getString("email"));
    assertEquals(MASK, new JsonObject(masked.getString("payload")).getJsonObject("data").getString("email"));
    assertEquals("e-1", new JsonObject(masked.getString("payload")).getString("id"));
    String decoded = new String(Base64.getDecoder().decode(masked.getString("payloadBase64")), StandardCharsets.UTF_8);
    assertEquals(masked.getString("payload"), decoded);
    assertFalse(masked.encode().contains("ada@example.com"), masked.encode());
    assertEquals("too short", masked.getJsonArray("violations").getJsonObject(1).getString("message"));
    assertEquals("/data/email", masked.getJsonArray("violations").getJsonObject(0).getString("pointer"));
  }

  @Test
  void binaryModeAndUnreadablePayloads() {
    Redaction masking = Redaction.masking(registry);
    JsonObject binary = masking.item(item(TYPE, data, data.encode()));
    assertEquals(MASK, new JsonObject(binary.getString("payload")).getString("email"));
    JsonObject garbled = masking.item(item(TYPE, data, "{\"email\": \"ada@example.com\""));
    assertEquals(Redaction.UNREADABLE_PAYLOAD, garbled.getString("payload"));
  }

  @Test
  void typesWithoutMarksAndOperatorsSeeEverything() {
    JsonObject product = item("retail.product.created", new JsonObject().put("id", "p-1"), "{\"id\":\"p-1\"}");
    assertSame(product, Redaction.masking(registry).item(product));
    JsonObject photographer = item(TYPE, data, data.encode());
    assertSame(photographer, Redaction.clear().item(photographer));
    assertFalse(Redaction.clear().masks());
    assertTrue(Redaction.masking(registry).masks());
    assertEquals(data, Redaction.masking(registry).data("no.such.type", data));
  }
}
