package dev.sluice.console.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.audit.AuditPage;
import dev.sluice.console.audit.AuditRecord;
import dev.sluice.console.auth.Redaction;
import dev.sluice.console.auth.SensitiveFields;
import dev.sluice.console.fix.FixActions;
import dev.sluice.console.fix.PatchDetail;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The demo catalog marks the photographer's name and email sensitive; its id is not. */
class AuditHandlersTest {
  private static final String FINGERPRINT = "0123456789abcdef";
  private static final String PATCH = new JsonArray()
      .add(new JsonObject().put("op", "replace").put("path", "/data/email").put("value", "new@example.com"))
      .add(new JsonObject().put("op", "replace").put("path", "/data/id").put("value", "ph-1")).encode();
  private final Redaction masking = Redaction.masking(SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()));

  private static AuditRecord entry(String action, String detail) {
    return new AuditRecord("a-1", Instant.parse("2025-03-01T10:15:30Z"), "dev-operator", action, List.of("i-1"),
        detail, Optional.of("{\"id\":\"ph-1\",\"email\":\"old@example.com\"}"),
        Optional.of("{\"id\":\"ph-1\",\"name\":\"Ann\",\"email\":\"new@example.com\"}"), Optional.empty());
  }

  private static JsonObject only(JsonObject page) {
    return page.getJsonArray("entries").getJsonObject(0);
  }

  @Test
  void anOperatorSeesTheEntryAsItWasWritten() {
    String detail = PatchDetail.of(FINGERPRINT, PATCH).text();
    JsonObject shown = only(AuditHandlers.json(new AuditPage(List.of(entry(FixActions.PATCH, detail)),
        Optional.empty()), Redaction.clear()));
    assertEquals(detail, shown.getString("detail"));
    assertTrue(shown.getString("after").contains("new@example.com"));
  }

  @Test
  void aViewerSeesAPatchsSensitiveValuesMaskedAndNoData() {
    JsonObject shown = only(AuditHandlers.json(new AuditPage(List.of(entry(FixActions.PATCH,
        PatchDetail.of(FINGERPRINT, PATCH).text())), Optional.empty()), masking));
    assertFalse(shown.encode().contains("@example.com"), shown.encode());
    JsonArray ops = new JsonArray(PatchDetail.read(shown.getString("detail")).orElseThrow().patchText());
    assertEquals(SensitiveFields.MASK, ops.getJsonObject(0).getString("value"));
    assertEquals("ph-1", ops.getJsonObject(1).getString("value"));
    assertTrue(shown.getBoolean("dataHidden"));
  }

  @Test
  void aViewerSeesNothingOfAPatchDetailThisConsoleCannotRead() {
    JsonObject shown = only(AuditHandlers.json(new AuditPage(List.of(entry(FixActions.PATCH,
        "patched: new@example.com")), Optional.empty()), masking));
    assertEquals("", shown.getString("detail"));
    JsonObject discard = only(AuditHandlers.json(new AuditPage(List.of(entry(AuditRecord.Actions.DISCARD,
        "duplicate of e-9")), Optional.empty()), masking));
    assertEquals("duplicate of e-9", discard.getString("detail"), "other actions' details are the operator's words");
  }
}
