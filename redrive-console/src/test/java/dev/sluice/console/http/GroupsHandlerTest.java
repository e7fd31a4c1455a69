package dev.sluice.console.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.groups.GroupInstance;
import dev.sluice.quarantine.groups.GroupView;
import dev.sluice.schemas.contracts.ReadContract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GroupsHandlerTest {
  private static GroupView inventory() {
    TreeMap<String, java.util.SortedSet<Integer>> versions = new TreeMap<>();
    versions.put("retail.product.created", new TreeSet<>(Set.of(1, 2)));
    versions.put("orders.placed", new TreeSet<>(Set.of(4)));
    TreeMap<String, Double> staleness = new TreeMap<>(Map.of("retail", 75.5, "orders", 0.0));
    GroupInstance one = new GroupInstance("host-1-77-ab", "host-1", new TreeSet<>(Set.of("retail", "orders")), versions,
        Instant.parse("2026-11-22T10:00:00Z"), staleness);
    return new GroupView("inventory", new TreeSet<>(Set.of("retail", "orders")), versions, List.of(one),
        Instant.parse("2026-11-22T10:00:00Z"), staleness);
  }

  @Test
  void forAStreamOnlyTheVersionsOfItsOwnTypesAreShown() {
    JsonArray json = GroupsHandler.json(List.of(inventory()), Optional.of(Set.of("retail.product.created")),
        Optional.of("retail"));
    JsonObject g = json.getJsonObject(0);
    assertEquals("inventory", g.getString("group"));
    assertEquals(new JsonObject().put("retail.product.created", new JsonArray().add(1).add(2)),
        g.getJsonObject("versionsSeen"));
    assertEquals("host-1", g.getJsonArray("instances").getJsonObject(0).getString("host"));
    assertEquals(new JsonObject().put("retail", 75.5), g.getJsonObject("staleness"));
    assertEquals(new JsonObject().put("retail", 75.5),
        g.getJsonArray("instances").getJsonObject(0).getJsonObject("staleness"));
  }

  @Test
  void withoutAStreamEveryVersionIsShown() {
    JsonObject g = GroupsHandler.json(List.of(inventory()), Optional.empty(), Optional.empty()).getJsonObject(0);
    assertEquals(Set.of("retail.product.created", "orders.placed"), g.getJsonObject("versionsSeen").fieldNames());
    assertEquals(new JsonObject().put("orders", 0.0).put("retail", 75.5), g.getJsonObject("staleness"));
    assertEquals(new JsonArray().add("orders").add("retail"), g.getJsonArray("streams"));
  }

  @Test
  void eachGroupShowsItsOwnerContactAndDeclaredReadsForAStreamOnlyOfItsTypes() {
    ReadContract contract = ReadContract.builder().owner("team-inventory").contact("#inventory")
        .reads("retail.product.created", "/data/price", "/data/id").reads("orders.placed", "/data/lines/*/sku")
        .build();
    GroupInstance one = new GroupInstance("i-1", "host-1", new TreeSet<>(Set.of("retail", "orders")), new TreeMap<>(),
        Instant.parse("2026-11-22T10:00:00Z"), new TreeMap<>(), contract);
    GroupView view = GroupView.aggregate("inventory", List.of(one));

    JsonObject all = GroupsHandler.json(List.of(view), Optional.empty(), Optional.empty()).getJsonObject(0);
    assertEquals("team-inventory", all.getString("owner"));
    assertEquals("#inventory", all.getString("contact"));
    assertEquals(new JsonObject()
        .put("orders.placed", new JsonArray().add("/data/lines/*/sku"))
        .put("retail.product.created", new JsonArray().add("/data/id").add("/data/price")), all.getJsonObject("reads"));
    assertEquals(all.getJsonObject("reads"), all.getJsonArray("instances").getJsonObject(0).getJsonObject("reads"));

    JsonObject retail = GroupsHandler.json(List.of(view), Optional.of(Set.of("retail.product.created")),
        Optional.of("retail")).getJsonObject(0);
    assertEquals(Set.of("retail.product.created"), retail.getJsonObject("reads").fieldNames());

    JsonObject silent = GroupsHandler.json(List.of(inventory()), Optional.empty(), Optional.empty()).getJsonObject(0);
    assertTrue(silent.containsKey("owner") && silent.getValue("owner") == null, silent.encode());
    assertEquals(new JsonObject(), silent.getJsonObject("reads"));
  }
}
