package dev.sluice.console.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.catalog.EventTypeBinding;
import dev.sluice.schemas.catalog.OrderingPolicy;
import dev.sluice.schemas.catalog.Retention;
import dev.sluice.schemas.catalog.StreamAbout;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.contracts.ReadContract;
import dev.sluice.schemas.registry.Compatibility;
import dev.sluice.schemas.registry.RegistryRecord;
import dev.sluice.schemas.registry.RegistryState;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

/** A stream's catalog JSON, from a registry snapshot built record by record. */
class CatalogJsonTest {
  private static final String V1 = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"}},"
      + "\"required\":[\"id\"]}";
  private static final String V2 = "{\"type\":\"object\",\"properties\":{\"id\":{\"type\":\"string\"},"
      + "\"name\":{\"type\":\"string\"}},\"required\":[\"id\",\"name\"]}";

  private static StreamDefinition orders(StreamAbout about) {
    return new StreamDefinition("orders", "orders-topic", 6, OrderingPolicy.KEY_ORDERED,
        Map.of("shop.order.placed", new EventTypeBinding("shop.order.placed", "/id", ""),
            "shop.order.cancelled", new EventTypeBinding("shop.order.cancelled", "/id", "")),
        false, Retention.keep(Duration.ofDays(30)), about);
  }

  private static RegistryState state(StreamDefinition stream) {
    return RegistryState.empty()
        .apply(new RegistryRecord.StreamPut(stream))
        .apply(new RegistryRecord.SchemaRegistered("shop.order.placed", 1, V1))
        .apply(new RegistryRecord.SchemaRegistered("shop.order.placed", 2, V2))
        .apply(new RegistryRecord.CompatibilitySet("shop.order.placed", Compatibility.NONE));
  }

  private static final StreamAbout ABOUT = new StreamAbout(Optional.of("team-orders"), Optional.of("#orders"),
      Optional.of("Orders as placed."), Optional.of(Duration.ofMinutes(5)));

  @Test
  void aSummaryCarriesTheStreamsLabelItsTypesLatestVersionsAndItsReaders() {
    StreamDefinition stream = orders(ABOUT);
    JsonObject s = CatalogJson.summary(stream, state(stream), OptionalInt.of(2));
    assertEquals("orders", s.getString("name"));
    assertEquals("orders-topic", s.getString("topic"));
    assertEquals(6, s.getInteger("partitions"));
    assertEquals("KEY_ORDERED", s.getString("ordering"));
    assertEquals("P30D", s.getString("retention"));
    assertEquals("team-orders", s.getString("owner"));
    assertEquals("#orders", s.getString("contact"));
    assertEquals("Orders as placed.", s.getString("description"));
    assertEquals("PT5M", s.getString("stalenessObjective"));
    assertEquals(2, s.getInteger("groupsReading"));
    // Sorted by type; a type with no version registered yet has no latest one.
    assertEquals(new JsonArray()
        .add(new JsonObject().put("type", "shop.order.cancelled").putNull("latestVersion"))
        .add(new JsonObject().put("type", "shop.order.placed").put("latestVersion", 2)), s.getJsonArray("types"));
  }

  @Test
  void whatAStreamDoesNotSayIsNullAndUnknownReadersAreNull() {
    StreamDefinition stream = orders(StreamAbout.NONE).withRetention(Retention.DEPLOYMENT_DEFAULT);
    JsonObject s = CatalogJson.summary(stream, state(stream), OptionalInt.empty());
    for (String part : new String[] {"owner", "contact", "description", "stalenessObjective", "retention",
        "groupsReading"}) {
      assertTrue(s.containsKey(part) && s.getValue(part) == null, part + " in " + s.encode());
    }
  }

  @Test
  void theDetailListsEveryVersionWithItsSchemaFingerprintLevelAndChanges() {
    StreamDefinition stream = orders(ABOUT);
    RegistryState state = state(stream);
    JsonObject d = CatalogJson.detail(stream, state);
    assertFalse(d.getBoolean("partitionKeyExtension"));
    JsonObject placed = d.getJsonArray("types").getJsonObject(1);
    assertEquals("shop.order.placed", placed.getString("type"));
    assertEquals("/id", placed.getString("partitionKey"));
    assertEquals("NONE", placed.getString("compatibility"));
    assertTrue(placed.getBoolean("compatibilitySet"));
    assertEquals(2, placed.getInteger("latestVersion"));
    JsonArray versions = placed.getJsonArray("versions");
    assertEquals(2, versions.size());
    assertEquals(1, versions.getJsonObject(0).getInteger("version"));
    assertEquals(new JsonObject(V2), versions.getJsonObject(1).getJsonObject("schema"));
    assertEquals(state.version("shop.order.placed", 2).orElseThrow().fingerprint(),
        versions.getJsonObject(1).getString("fingerprint"));
    JsonArray changes = placed.getJsonArray("changes");
    assertEquals(1, changes.size(), "one change between two versions");
    assertEquals(1, changes.getJsonObject(0).getInteger("from"));
    assertEquals(2, changes.getJsonObject(0).getInteger("to"));

    JsonObject cancelled = d.getJsonArray("types").getJsonObject(0);
    assertEquals("BACKWARD", cancelled.getString("compatibility"), "the default level");
    assertFalse(cancelled.getBoolean("compatibilitySet"));
    assertTrue(cancelled.getJsonArray("versions").isEmpty());
    assertNull(cancelled.getValue("latestVersion"));
  }

  @Test
  void theDetailShowsPerTypeWhatTheGroupsDeclareTheyReadOrNullWhenTheyCouldNotBeRead() {
    StreamDefinition stream = orders(ABOUT);
    RegistryState state = state(stream);
    JsonObject d = CatalogJson.detail(stream, state, Optional.of(List.of(DeclaredReadsJsonTest.declaring("billing",
        ReadContract.builder().owner("payments").reads("shop.order.placed", "/data/name").build()))));
    JsonObject placed = d.getJsonArray("types").getJsonObject(1).getJsonObject("declaredReads");
    assertEquals("/data/name", placed.getJsonArray("pointers").getJsonObject(0).getString("pointer"));
    assertEquals("payments", placed.getJsonArray("groups").getJsonObject(0).getString("owner"));
    assertTrue(d.getJsonArray("types").getJsonObject(0).getJsonObject("declaredReads").getJsonArray("pointers")
        .isEmpty(), "nobody declared reads of the cancelled type");

    JsonObject unknown = CatalogJson.detail(stream, state, Optional.empty());
    JsonObject cancelled = unknown.getJsonArray("types").getJsonObject(0);
    assertTrue(cancelled.containsKey("declaredReads") && cancelled.getValue("declaredReads") == null,
        cancelled.encode());
  }
}
