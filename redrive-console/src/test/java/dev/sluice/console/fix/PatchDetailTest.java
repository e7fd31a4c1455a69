package dev.sluice.console.fix;

import static dev.sluice.console.auth.SensitiveFields.MASK;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.console.auth.Redaction;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** The demo catalog marks the photographer's name and email sensitive; its id is not. */
class PatchDetailTest {
  private static final String FINGERPRINT = "0123456789abcdef";
  private static final UnaryOperator<Object> MASKING =
      Redaction.masking(SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()))::dataOfAnyType;
  private static final Optional<String> BEFORE =
      Optional.of("{\"id\":\"ph-1\",\"name\":\"Ann\",\"email\":\"old@example.com\",\"tags\":[\"a\"]}");
  private static final Optional<String> AFTER =
      Optional.of("{\"id\":\"ph-1\",\"name\":\"Ann\",\"email\":\"new@example.com\",\"tags\":[\"a\",\"b\"]}");

  private static JsonObject op(String op, String path, Object value) {
    return new JsonObject().put("op", op).put("path", path).put("value", value);
  }

  /** The operations a viewer sees, read back from the detail. */
  private static JsonArray shown(JsonArray patch, Optional<String> before, Optional<String> after) {
    String detail = PatchDetail.of(FINGERPRINT, patch.encode()).text();
    String viewer = PatchDetail.read(detail).orElseThrow().forViewer(before, after, MASKING);
    PatchDetail read = PatchDetail.read(viewer).orElseThrow();
    assertEquals(FINGERPRINT, read.fingerprint());
    return new JsonArray(read.patchText());
  }

  @Test
  void theDetailReadsBackAsItWasWritten() {
    PatchDetail d = PatchDetail.of(FINGERPRINT, "[{\"op\":\"remove\",\"path\":\"/data/x\"}]");
    assertEquals("fingerprint " + FINGERPRINT + ": [{\"op\":\"remove\",\"path\":\"/data/x\"}]", d.text());
    assertEquals(Optional.of(d), PatchDetail.read(d.text()));
    assertEquals(Optional.empty(), PatchDetail.read("queued for group catalog-builder"));
    String longPatch = "[" + "{\"op\":\"remove\",\"path\":\"/data/x\"},".repeat(40) + "]";
    assertEquals(PatchDetail.MAX_PATCH_TEXT + 1, PatchDetail.of(FINGERPRINT, longPatch).patchText().length());
  }

  @Test
  void valuesLandingOnASensitiveFieldAreMaskedAndTheOthersShown() {
    JsonArray patch = new JsonArray()
        .add(op("test", "/data/email", "old@example.com"))
        .add(op("replace", "/data/email", "new@example.com"))
        .add(op("replace", "/data/id", "ph-2"))
        .add(op("add", "/data/tags/-", "b"))
        .add(op("test", "/type", "retail.photographer.registered"))
        .add(new JsonObject().put("op", "copy").put("from", "/data/email").put("path", "/data/name"));
    JsonArray shown = shown(patch, BEFORE, AFTER);
    assertEquals(MASK, shown.getJsonObject(0).getValue("value"));
    assertEquals(MASK, shown.getJsonObject(1).getValue("value"));
    assertEquals("ph-2", shown.getJsonObject(2).getValue("value"));
    assertEquals("b", shown.getJsonObject(3).getValue("value"));
    assertEquals("retail.photographer.registered", shown.getJsonObject(4).getValue("value"));
    assertEquals(patch.getJsonObject(5), shown.getJsonObject(5), "no value: as it was");
    assertFalse(shown.encode().contains("@example.com"), shown.encode());
  }

  @Test
  void theNameIsMarkedToo() {
    JsonArray shown = shown(new JsonArray().add(op("replace", "/data/name", "Ann")), BEFORE, AFTER);
    assertEquals(MASK, shown.getJsonObject(0).getValue("value"));
  }

  @Test
  void aValueHoldingASensitiveFieldIsMaskedWhole() {
    JsonArray shown = shown(new JsonArray().add(op("replace", "/data",
        new JsonObject().put("id", "ph-1").put("email", "new@example.com"))), BEFORE, AFTER);
    assertEquals(MASK, shown.getJsonObject(0).getValue("value"));
  }

  @Test
  void aValueThatFitsNowhereCannotBeJudgedAndIsMasked() {
    JsonArray patch = new JsonArray()
        .add(op("add", "/data/contact/private", "x"))
        .add(op("replace", "/data/name", "Ann"));
    JsonArray shown = shown(patch, Optional.empty(), Optional.of("not json"));
    assertEquals(MASK, shown.getJsonObject(0).getValue("value"));
    assertEquals(MASK, shown.getJsonObject(1).getValue("value"), "no data to put it in");
  }

  @Test
  void aPatchThatWasCutIsHidden() {
    String longPatch = new JsonArray().add(op("replace", "/data/email", "x".repeat(600) + "@example.com")).encode();
    String detail = PatchDetail.of(FINGERPRINT, longPatch).text();
    String viewer = PatchDetail.read(detail).orElseThrow().forViewer(BEFORE, AFTER, MASKING);
    assertEquals("fingerprint " + FINGERPRINT + ": " + PatchDetail.CUT_PATCH_HIDDEN, viewer);
  }
}
