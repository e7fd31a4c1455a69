package dev.sluice.console.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.sluice.quarantine.groups.GroupInstance;
import dev.sluice.quarantine.groups.GroupView;
import dev.sluice.schemas.contracts.ReadContract;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Per type, each declared pointer with the groups reading it, and each declaring group with its owner and contact. */
class DeclaredReadsJsonTest {
  private static final String PLACED = "shop.order.placed";

  static GroupView declaring(String group, ReadContract contract) {
    return GroupView.aggregate(group, List.of(new GroupInstance("i-" + group, "host", new TreeSet<>(Set.of("orders")),
        new TreeMap<>(), Instant.parse("2026-11-22T10:00:00Z"), new TreeMap<>(), contract)));
  }

  @Test
  void eachPointerListsItsReadersAndEachGroupItsOwner() {
    List<GroupView> groups = List.of(
        declaring("shipping", ReadContract.builder().owner("logistics").reads(PLACED, "/data/address/*").build()),
        declaring("billing", ReadContract.builder().owner("payments").contact("#payments")
            .reads(PLACED, "/data/price", "/data/id").reads("shop.order.cancelled", "/data/id").build()),
        declaring("audit", ReadContract.builder().owner("audit").reads(PLACED, "/data/price").build()),
        declaring("silent", ReadContract.NONE),
        declaring("elsewhere", ReadContract.builder().reads("shop.order.cancelled", "/data/reason").build()));

    JsonObject json = DeclaredReadsJson.of(PLACED, groups);

    assertEquals(new JsonArray()
            .add(new JsonObject().put("pointer", "/data/address/*").put("groups", new JsonArray().add("shipping")))
            .add(new JsonObject().put("pointer", "/data/id").put("groups", new JsonArray().add("billing")))
            .add(new JsonObject().put("pointer", "/data/price")
                .put("groups", new JsonArray().add("audit").add("billing"))),
        json.getJsonArray("pointers"));
    JsonArray declaringGroups = json.getJsonArray("groups");
    assertEquals(List.of("audit", "billing", "shipping"),
        declaringGroups.stream().map(g -> ((JsonObject) g).getString("group")).toList());
    JsonObject billing = declaringGroups.getJsonObject(1);
    assertEquals("payments", billing.getString("owner"));
    assertEquals("#payments", billing.getString("contact"));
    assertEquals(new JsonArray().add("/data/id").add("/data/price"), billing.getJsonArray("pointers"),
        "only this type's pointers");
    assertNull(declaringGroups.getJsonObject(0).getValue("contact"), "unstated is null");
  }

  @Test
  void aTypeNobodyDeclaresHasNoPointers() {
    JsonObject json = DeclaredReadsJson.of("shop.order.refunded", List.of(declaring("silent", ReadContract.NONE)));
    assertEquals(new JsonObject().put("pointers", new JsonArray()).put("groups", new JsonArray()), json);
  }
}
