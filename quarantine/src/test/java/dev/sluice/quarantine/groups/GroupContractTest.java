package dev.sluice.quarantine.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.schemas.contracts.ReadContract;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** A group's read contract: in each heartbeat, bounded, and as a view aggregates its live instances'. */
class GroupContractTest {
  private static final String CREATED = "retail.product.created";
  private static final String PHOTOGRAPHED = "retail.product.photographed";

  private static GroupInstance instance(String id, long seenAt, ReadContract contract) {
    return new GroupInstance(id, "host-" + id, new TreeSet<>(Set.of("retail")), new TreeMap<>(),
        Instant.ofEpochMilli(seenAt), new TreeMap<>(), contract);
  }

  private static SortedSet<String> set(String... pointers) {
    return new TreeSet<>(List.of(pointers));
  }

  @Test
  void aHeartbeatCarriesItsContractAndOneWithoutDeclaresNothing() {
    ReadContract contract = ReadContract.builder().owner("team-catalog").contact("#catalog")
        .reads(CREATED, "/data/price", "/data/id").build();
    GroupHeartbeat plain = GroupHeartbeat.of("g", "i-1", "h", Set.of("retail"), Map.of());
    assertSame(ReadContract.NONE, plain.contract());

    GroupHeartbeat declaring = plain.withContract(contract);
    assertEquals(contract, declaring.contract());
    assertEquals(plain.streams(), declaring.streams(), "the rest is unchanged");
    assertEquals("i-1", declaring.instanceId());
  }

  @Test
  void aContractTooBigForTheRegistryItemIsRefused() {
    ReadContract.Builder big = ReadContract.builder();
    // 200 pointers of 199 characters: within ReadContract's bounds, 40 KB in the item.
    for (int i = 0; i < 200; i++) {
      String pointer = "/data/" + String.format("%03d", i) + "x".repeat(190);
      big.reads("t" + (i % 50), pointer);
    }
    ReadContract contract = big.build();
    assertTrue(GroupHeartbeat.contractBytes(contract) > GroupHeartbeat.MAX_CONTRACT_BYTES);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> GroupHeartbeat.of("g", "i", "h", Set.of(), Map.of()).withContract(contract));
    assertTrue(e.getMessage().contains("at most " + GroupHeartbeat.MAX_CONTRACT_BYTES + " bytes"), e.getMessage());
  }

  @Test
  void aViewReadsTheUnionOfItsInstancesAndTheNewestDeclaringInstancesOwner() {
    // A rolling deploy: the new build reads the price and the photos, the old one the name; an even older one
    // declares nothing and is the newest to heartbeat.
    ReadContract oldBuild = ReadContract.builder().owner("catalog").contact("#catalog-old")
        .reads(CREATED, "/data/name", "/data/price").build();
    ReadContract newBuild = ReadContract.builder().owner("catalog").contact("#catalog")
        .reads(CREATED, "/data/price").reads(PHOTOGRAPHED, "/data/imageUrl").build();
    GroupView view = GroupView.aggregate("catalog-builder", List.of(
        instance("a", 1_000, oldBuild), instance("b", 2_000, newBuild), instance("c", 3_000, ReadContract.NONE)));

    assertEquals("catalog", view.contract().owner());
    assertEquals("#catalog", view.contract().contact(), "the newest declaring instance's");
    assertEquals(Map.of(CREATED, set("/data/name", "/data/price"), PHOTOGRAPHED, set("/data/imageUrl")),
        view.contract().reads());
    assertTrue(view.declaresReadsOf(PHOTOGRAPHED));
    assertFalse(view.declaresReadsOf("retail.photographer.registered"));
    assertEquals(ReadContract.NONE, view.instances().get(2).contract(), "each instance keeps its own");
  }

  @Test
  void aGroupWhoseInstancesDeclareNothingDeclaresNothing() {
    GroupView view = GroupView.aggregate("g", List.of(instance("a", 1, ReadContract.NONE)));
    assertEquals(ReadContract.NONE, view.contract());
    assertFalse(view.declaresReadsOf(CREATED));
  }

  @Test
  void aUnionBeyondTheBoundsKeepsTheNewestDeclarationWhole() {
    ReadContract.Builder older = ReadContract.builder().owner("old");
    ReadContract.Builder newer = ReadContract.builder().owner("new");
    for (int i = 0; i < ReadContract.MAX_POINTERS; i++) {
      older.reads("t", "/data/old" + i);
      newer.reads("t", "/data/new" + i);
    }
    GroupView view = GroupView.aggregate("g", List.of(instance("a", 1, older.build()), instance("b", 2,
        newer.build())));
    SortedSet<String> reads = view.contract().reads().get("t");
    assertEquals(ReadContract.MAX_POINTERS, reads.size());
    assertTrue(reads.stream().allMatch(p -> p.startsWith("/data/new")), "the newest instance's, whole");
    assertEquals("new", view.contract().owner());
  }
}
