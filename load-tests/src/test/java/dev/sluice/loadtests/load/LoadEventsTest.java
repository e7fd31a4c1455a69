package dev.sluice.loadtests.load;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import dev.sluice.schemas.registry.Validation;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

class LoadEventsTest {
  private final SchemaRegistry registry = SchemaRegistry.fromCatalog(StreamCatalog.loadDefault());
  private final LoadEvents events = new LoadEvents("t");

  private boolean valid(String event) {
    JsonObject e = new JsonObject(event);
    return registry.validate(e.getString("type"), e.getJsonObject("data").encode()) instanceof Validation.Valid;
  }

  @Test
  void validAndPoisonPassTheSchemaInvalidDoesNot() {
    assertEquals(true, valid(events.valid()));
    assertEquals(true, valid(events.poison()));
    assertEquals(false, valid(events.invalid()));
    assertEquals(250000, new JsonObject(events.poison()).getJsonObject("data").getInteger("price"));
  }

  @Test
  void everyEventHasItsOwnIdAndProduct() {
    JsonObject a = new JsonObject(events.valid());
    JsonObject b = new JsonObject(events.valid());
    assertNotEquals(a.getString("id"), b.getString("id"));
    assertNotEquals(a.getJsonObject("data").getString("id"), b.getJsonObject("data").getString("id"));
  }

  @Test
  void theMixIsExactInEveryHundred() {
    for (int percent : new int[] {1, 10, 33, 50, 100}) {
      int special = 0;
      for (long n = 0; n < 100; n++) {
        special += LoadEvents.isSpecial(n, percent) ? 1 : 0;
      }
      assertEquals(percent, special, "percent " + percent);
    }
  }
}
