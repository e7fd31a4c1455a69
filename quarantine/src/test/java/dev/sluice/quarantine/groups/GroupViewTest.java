package dev.sluice.quarantine.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GroupViewTest {
  private static GroupInstance instance(String id, Set<String> streams, Map<String, Set<Integer>> versions,
      long seenAt) {
    TreeMap<String, SortedSet<Integer>> v = new TreeMap<>();
    versions.forEach((t, s) -> v.put(t, new TreeSet<>(s)));
    return new GroupInstance(id, "host-" + id, new TreeSet<>(streams), v, Instant.ofEpochMilli(seenAt));
  }

  @Test
  void aGroupIsTheUnionOfItsInstances() {
    GroupView view = GroupView.aggregate("catalog-builder", List.of(
        instance("b", Set.of("retail"), Map.of("retail.product.created", Set.of(2)), 2_000),
        instance("a", Set.of("retail", "photos"),
            Map.of("retail.product.created", Set.of(1), "retail.product.photographed", Set.of(1)), 1_000)));

    assertEquals("catalog-builder", view.group());
    assertEquals(List.of("photos", "retail"), List.copyOf(view.streams()));
    assertEquals(Map.of("retail.product.created", new TreeSet<>(Set.of(1, 2)),
        "retail.product.photographed", new TreeSet<>(Set.of(1))), view.versionsSeen());
    assertEquals(List.of("a", "b"), view.instances().stream().map(GroupInstance::instanceId).toList());
    assertEquals(2, view.instancesAlive());
    assertEquals(Instant.ofEpochMilli(2_000), view.lastSeen());
    assertTrue(view.consumes("photos"));
    assertFalse(view.consumes("orders"));
  }

  @Test
  void aGroupsStalenessPerStreamIsTheWorstOfItsInstances() {
    GroupInstance a = new GroupInstance("a", "host-a", new TreeSet<>(Set.of("retail", "photos")), new TreeMap<>(),
        Instant.ofEpochMilli(1_000), new TreeMap<>(Map.of("retail", 12.5, "photos", 0.0)));
    GroupInstance b = new GroupInstance("b", "host-b", new TreeSet<>(Set.of("retail")), new TreeMap<>(),
        Instant.ofEpochMilli(2_000), new TreeMap<>(Map.of("retail", 340.0)));
    // An instance older than the field reports nothing: it neither adds a stream nor lowers the worst.
    GroupInstance old = instance("c", Set.of("retail", "orders"), Map.of(), 1_500);

    GroupView view = GroupView.aggregate("catalog-builder", List.of(a, b, old));

    assertEquals(Map.of("retail", 340.0, "photos", 0.0), view.staleness());
    assertEquals(Map.of(), old.staleness());
  }

  @Test
  void aHeartbeatCarriesItsStalenessAndRefusesNonsense() {
    GroupHeartbeat hb = GroupHeartbeat.of("g", "i-1", "h", Set.of("retail"), Map.of(), Map.of("retail", 42.0));
    assertEquals(Map.of("retail", 42.0), hb.staleness());
    assertEquals(Map.of(), GroupHeartbeat.of("g", "i-1", "h", Set.of("retail"), Map.of()).staleness());
    for (double bad : new double[] {-1, Double.NaN, Double.POSITIVE_INFINITY}) {
      assertThrows(IllegalArgumentException.class,
          () -> GroupHeartbeat.of("g", "i", "h", Set.of("retail"), Map.of(), Map.of("retail", bad)), "" + bad);
    }
    assertThrows(IllegalArgumentException.class,
        () -> GroupHeartbeat.of("g", "i", "h", Set.of(), Map.of(), Map.of(" ", 1.0)));
  }

  @Test
  void aViewNeedsAnInstance() {
    assertThrows(IllegalArgumentException.class, () -> GroupView.aggregate("g", List.of()));
  }

  @Test
  void aHeartbeatIsSortedCopiedAndDropsTypesWithoutVersions() {
    GroupHeartbeat hb = GroupHeartbeat.of("g", "i-1", "h", Set.of("z", "a"),
        Map.of("t", Set.of(3, 1), "empty", Set.of()));
    assertEquals(List.of("a", "z"), List.copyOf(hb.streams()));
    assertEquals(Map.of("t", new TreeSet<>(Set.of(1, 3))), hb.versionsSeen());
    assertThrows(UnsupportedOperationException.class, () -> hb.streams().add("x"));
  }

  @Test
  void aHeartbeatRejectsBlankOrOversizedParts() {
    assertThrows(IllegalArgumentException.class, () -> GroupHeartbeat.of(" ", "i", "h", Set.of(), Map.of()));
    assertThrows(IllegalArgumentException.class,
        () -> GroupHeartbeat.of("g", "i".repeat(GroupHeartbeat.MAX_NAME_LENGTH + 1), "h", Set.of(), Map.of()));
    TreeSet<Integer> tooMany = new TreeSet<>();
    for (int v = 0; v <= GroupHeartbeat.MAX_VERSIONS_PER_TYPE; v++) {
      tooMany.add(v);
    }
    assertThrows(IllegalArgumentException.class,
        () -> GroupHeartbeat.of("g", "i", "h", Set.of(), Map.of("t", tooMany)));
  }

  @Test
  void instanceIdsAreUniquePerProcessStartAndBounded() {
    String a = GroupHeartbeat.newInstanceId("host");
    String b = GroupHeartbeat.newInstanceId("host");
    assertTrue(a.startsWith("host-" + ProcessHandle.current().pid() + "-"));
    assertFalse(a.equals(b));
    assertTrue(GroupHeartbeat.newInstanceId("h".repeat(1_000)).length() <= GroupHeartbeat.MAX_NAME_LENGTH);
  }
}
