package dev.sluice.loadtests.ingest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.Validation;
import java.util.HashSet;
import java.util.Set;
import org.json.JSONArray;
import org.json.JSONObject;
import org.junit.jupiter.api.Test;

class ProductEventsTest {
  private final ProductEvents events = new ProductEvents("run1", 1024, "2026-01-02T03:04:05Z");
  private final SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());

  @Test
  void dataIsAboutTheWantedSizeAndValidAgainstTheRealSchema() {
    String data = events.data(events.nextId());
    assertTrue(Math.abs(data.length() - 1024) <= 16, "data is " + data.length() + " bytes");
    assertInstanceOf(Validation.Valid.class, registry.validate(ProductEvents.TYPE, data));
  }

  @Test
  void structuredEventIsACloudEventOfTheProductType() {
    JSONObject e = new JSONObject(events.structured());
    assertEquals("1.0", e.getString("specversion"));
    assertEquals(ProductEvents.TYPE, e.getString("type"));
    assertEquals("/loadtests/ingest-benchmark/run1", e.getString("source"));
    assertEquals(e.getString("id"), e.getJSONObject("data").getString("id"));
    assertInstanceOf(Validation.Valid.class,
        registry.validate(ProductEvents.TYPE, e.getJSONObject("data").toString()));
  }

  @Test
  void twinEventsAreAsLongWithTheirOwnTypeAndIds() {
    ProductEvents real = new ProductEvents("ab12cd34", 1024, "2026-01-02T03:04:05Z");
    ProductEvents twin = real.twin("retail.product.nocheck");
    JSONObject r = new JSONObject(real.structured());
    JSONObject t = new JSONObject(twin.structured());

    assertEquals(r.toString().length(), t.toString().length(), "same bytes to read, parse and append");
    assertEquals("retail.product.nocheck", t.getString("type"));
    assertNotEquals(r.getString("source"), t.getString("source"), "never the same (source, id)");
    assertThrows(IllegalArgumentException.class, () -> real.twin("retail.product.longer.name"));
  }

  @Test
  void everyEventHasAFreshId() {
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < 1_000; i++) {
      ids.add(new JSONObject(events.structured()).getString("id"));
    }
    JSONArray batch = new JSONArray(events.batch(100));
    for (int i = 0; i < batch.length(); i++) {
      ids.add(batch.getJSONObject(i).getString("id"));
    }
    ids.add(events.cloudEvent().id());
    assertEquals(1_101, ids.size());
  }

  @Test
  void batchIsAJsonArrayOfStructuredEvents() {
    JSONArray batch = new JSONArray(events.batch(3));
    assertEquals(3, batch.length());
    for (int i = 0; i < 3; i++) {
      assertEquals(ProductEvents.TYPE, batch.getJSONObject(i).getString("type"));
    }
  }

  @Test
  void theInvalidEventBreaksTheSchema() {
    JSONObject e = new JSONObject(events.invalidStructured());
    assertInstanceOf(Validation.Invalid.class,
        registry.validate(ProductEvents.TYPE, e.getJSONObject("data").toString()));
  }

  @Test
  void theBaselineRecordCarriesTheSameData() {
    var e = events.cloudEvent();
    assertEquals(ProductEvents.TYPE, e.type());
    assertInstanceOf(Validation.Valid.class, registry.validate(ProductEvents.TYPE, e.data()));
  }
}
