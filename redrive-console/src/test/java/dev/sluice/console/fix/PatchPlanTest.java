package dev.sluice.console.fix;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.support.Items;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PatchPlanTest {
  private static final SchemaRegistry REGISTRY = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());

  private static JsonPatch patch(String json) {
    return ((JsonPatch.Ok) JsonPatch.parse(Json.decodeValue(json), EventView::writable, EventView.WRITABLE)).patch();
  }

  private static final JsonPatch PRICE_FIX = patch("[{\"op\":\"test\",\"path\":\"/data/category\",\"value\":\"tools\"},"
      + "{\"op\":\"replace\",\"path\":\"/data/price\",\"value\":30}]");

  private static QuarantineItem item(String id, String data, Optional<String> type, Optional<String> edited) {
    QuarantineItem base = Items.item(QuarantineStatus.QUARANTINED, data.getBytes(StandardCharsets.UTF_8), type, edited);
    return new QuarantineItem(id, base.status(), base.stream(), base.group(), base.topic(), base.partition(),
        base.offset(), base.key(), base.payload(), base.headers(), base.eventId(), base.eventType(), base.reason(),
        base.errorClass(), base.errorMessage(), base.violations(), base.attempts(), base.quarantinedAt(),
        base.updatedAt(), base.editedData(), base.redriveCount(), base.history());
  }

  private static QuarantineItem product(String id, String category, boolean withBrand) {
    JsonObject p = new JsonObject().put("id", id).put("name", "Anvil").put("category", category).put("price", 250000);
    if (withBrand) {
      p.put("brand", "Acme");
    }
    return item(id, p.encode(), Optional.of("retail.product.created"), Optional.empty());
  }

  @Test
  void everyItemLandsInExactlyOneListAndOnlyValidResultsAreApplicable() {
    List<QuarantineItem> items = List.of(
        product("a", "tools", true),
        product("b", "garden", true),
        product("c", "tools", false),
        item("d", "not json", Optional.of("retail.product.created"), Optional.empty()),
        item("e", Items.PRODUCT, Optional.empty(), Optional.empty()));
    PatchPlan plan = PatchPlan.of(PRICE_FIX, items, REGISTRY, false);
    JsonObject report = plan.report();

    assertEquals(5, report.getInteger("matched"));
    assertEquals(1, report.getInteger("applicable"));
    assertEquals(List.of("a"), plan.applicable().stream().map(a -> a.item().id()).toList());
    assertEquals(List.of("b", "d", "e"), ids(report.getJsonArray("notApplicable")));
    assertEquals(List.of("c"), ids(report.getJsonArray("stillInvalid")));
    assertTrue(report.getJsonArray("stillInvalid").getJsonObject(0).getJsonArray("violations").stream()
        .allMatch(v -> ((JsonObject) v).getString("pointer").startsWith("/data")));
    assertEquals(List.of("a", "c"), ids(report.getJsonArray("sample")));
    JsonObject sampleA = report.getJsonArray("sample").getJsonObject(0);
    assertEquals(250000, sampleA.getJsonObject("before").getInteger("price"));
    assertEquals(30, sampleA.getJsonObject("after").getInteger("price"));
    assertTrue(sampleA.getBoolean("valid"));
    assertFalse(report.getJsonArray("sample").getJsonObject(1).getBoolean("valid"));
    assertFalse(report.getBoolean("truncated"));
  }

  @Test
  void theSampleIsBoundedAndTheListsAreNot() {
    List<QuarantineItem> items = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      items.add(product("p" + i, "tools", true));
    }
    JsonObject report = PatchPlan.of(PRICE_FIX, items, REGISTRY, true).report();
    assertEquals(12, report.getInteger("applicable"));
    assertEquals(PatchPlan.SAMPLE_SIZE, report.getJsonArray("sample").size());
    assertTrue(report.getBoolean("truncated"));
  }

  @Test
  void thePatchAppliesToTheEditedDataWhenThereIsOne() {
    String edited = new JsonObject().put("id", "a").put("brand", "Acme").put("name", "Anvil").put("category", "tools")
        .put("price", 99).encode();
    QuarantineItem item = item("a", Items.PRODUCT, Optional.of("retail.product.created"), Optional.of(edited));
    PatchPlan.Applicable a = assertInstanceOf(PatchPlan.Applicable.class,
        PatchPlan.outcome(PRICE_FIX, item, REGISTRY, OpenedItems.NONE));
    assertEquals(99, new JsonObject(a.before()).getInteger("price"));
    assertEquals(30, new JsonObject(a.after()).getInteger("price"));
  }

  @Test
  void aPatchMayReadTheEnvelopeButNotChangeIt() {
    QuarantineItem item = product("a", "tools", true);
    JsonPatch keyToName = patch("[{\"op\":\"test\",\"path\":\"/type\",\"value\":\"retail.product.created\"},"
        + "{\"op\":\"copy\",\"from\":\"/key\",\"path\":\"/data/name\"}]");
    PatchPlan.Applicable a = assertInstanceOf(PatchPlan.Applicable.class,
        PatchPlan.outcome(keyToName, item, REGISTRY, OpenedItems.NONE));
    assertEquals("p-1", new JsonObject(a.after()).getString("name"));
    JsonPatch.Parsed refused = JsonPatch.parse(new JsonArray().add(new JsonObject().put("op", "remove")
        .put("path", "/key")), EventView::writable, EventView.WRITABLE);
    assertEquals("/0/path", assertInstanceOf(JsonPatch.Refused.class, refused).error().pointer());
  }

  private static List<String> ids(JsonArray entries) {
    return entries.stream().map(e -> ((JsonObject) e).getString("id")).toList();
  }
}
