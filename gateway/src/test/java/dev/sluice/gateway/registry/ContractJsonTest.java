package dev.sluice.gateway.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.schemas.compat.BreakingChange;
import dev.sluice.schemas.contracts.AffectedReader;
import dev.sluice.schemas.contracts.TouchedRead;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ContractJsonTest {
  private static final BreakingChange NARROWED =
      new BreakingChange("/properties/price/type", "type-narrowed", "price narrowed", "/price");

  private static AffectedReader group(String name, int reads) {
    List<TouchedRead> touched = IntStream.range(0, reads)
        .mapToObj(i -> new TouchedRead("/data/price/" + i, List.of(NARROWED))).toList();
    return new AffectedReader(name, "", "", touched);
  }

  @Test
  void anAnswerListsAtMostAHundredGroupsThenHowManyMore() {
    List<AffectedReader> groups = new ArrayList<>();
    for (int i = 0; i < 103; i++) {
      groups.add(group(String.format("g%03d", i), 1));
    }
    JsonObject out = ContractJson.putGroups(new JsonObject(), "affects", groups);
    assertEquals(ContractJson.MAX_GROUPS, out.getJsonArray("affects").size());
    assertEquals(3, out.getInteger("affectsOmitted"));
    assertEquals("g099", out.getJsonArray("affects").getJsonObject(99).getString("group"));
    JsonObject few = ContractJson.putGroups(new JsonObject(), "affects", groups.subList(0, 2));
    assertFalse(few.containsKey("affectsOmitted"));
  }

  @Test
  void aGroupListsEveryPointerAndAtMostTwentyTouches() {
    JsonObject g = ContractJson.putGroups(new JsonObject(), "affects", List.of(group("many", 25)))
        .getJsonArray("affects").getJsonObject(0);
    assertEquals(25, g.getJsonArray("pointers").size());
    assertEquals(ContractJson.MAX_TOUCHES, g.getJsonArray("changes").size());
    assertEquals(5, g.getInteger("changesOmitted"));
    JsonObject touch = g.getJsonArray("changes").getJsonObject(0);
    assertEquals("/data/price/0", touch.getString("read"));
    assertEquals("type-narrowed", touch.getString("rule"));
    assertEquals("/properties/price/type", touch.getString("pointer"));
    assertEquals("/price", touch.getJsonArray("paths").getString(0));
  }

  @Test
  void linesNameTheGroupWhoToAskAndWhatItReads() {
    AffectedReader billing = new AffectedReader("billing", "payments", "#pay",
        List.of(new TouchedRead("/data/price", List.of(NARROWED))));
    assertEquals(List.of("affects group `billing` (owner `payments`, contact `#pay`): /data/price (type-narrowed)"),
        ContractJson.lines("affects", List.of(billing)));
    assertEquals(List.of("affects group `quiet`: /data/price/0 (type-narrowed)"),
        ContractJson.lines("affects", List.of(group("quiet", 1))));
    List<String> many = ContractJson.lines("affects", java.util.Collections.nCopies(101, group("g", 1)));
    assertEquals(101, many.size());
    assertEquals("affects 1 more groups", many.get(100));
  }
}
