package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.store.OpenItem;
import dev.sluice.quarantine.store.QuarantineStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class OpenItemsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static OpenItem item(String id, QuarantineStatus status, String key, long offset) {
    return new OpenItem(id, status, Optional.ofNullable(key), offset, T0.plusSeconds(offset), 1);
  }

  @Test
  void onlyLaterRecordsOfAnOpenKeyAreParkedAndOtherKeysFlow() {
    OpenItems open = new OpenItems();
    open.track(item("h", QuarantineStatus.QUARANTINED, "K", 10), true);

    assertTrue(open.mustPark("K", 11));
    assertFalse(open.mustPark("K", 9), "a replay of a record before the head was handled before it: not held back");
    assertFalse(open.mustPark("other", 11));
    assertEquals(Optional.of("h"), open.headOf("K"));
  }

  @Test
  void theReplayCheckFindsEveryTrackedOffsetWhateverOrderItemsCameAndWent() {
    OpenItems open = new OpenItems();
    assertFalse(open.containsOffset(0));
    open.track(item("b", QuarantineStatus.QUARANTINED, "B", 20), true);
    open.track(item("a", QuarantineStatus.QUARANTINED, "A", 5), true);
    assertTrue(open.containsOffset(20));
    assertTrue(open.containsOffset(5), "an item tracked after a later one (a store load) is found");
    assertFalse(open.containsOffset(21), "past every tracked item");
    assertFalse(open.containsOffset(6));

    open.changed("b", QuarantineStatus.RESOLVED);
    assertFalse(open.containsOffset(20), "a settled item is forgotten");
    assertTrue(open.containsOffset(5));
    open.track(item("c", QuarantineStatus.QUARANTINED, "C", 12), true);
    assertTrue(open.containsOffset(12), "below the highest offset ever tracked, after that one left");
    open.track(item("d", QuarantineStatus.QUARANTINED, "D", 30), true);
    assertTrue(open.containsOffset(30));
  }

  @Test
  void anUnorderedStreamOrAKeylessItemHoldsNothingBackButIsCounted() {
    OpenItems open = new OpenItems();
    open.track(item("u", QuarantineStatus.RETRYING, "K", 3), false);
    open.track(item("n", QuarantineStatus.QUARANTINED, null, 4), true);

    assertFalse(open.mustPark("K", 5));
    assertFalse(open.anyBlocked());
    assertEquals(List.of("u"), open.headIds(false), "an idle quarantined item outside a lane is re-read rarely");
    assertEquals(List.of("n", "u"), open.headIds(true).stream().sorted().toList());
    assertEquals(1, open.count(QuarantineStatus.RETRYING));
    assertEquals(1, open.count(QuarantineStatus.QUARANTINED));
    assertEquals(0, open.blockedKeys());
  }

  @Test
  void whenTheHeadSettlesItsParkedItemsAreReleasedInOffsetOrderAndAFailureBecomesTheNewHead() {
    OpenItems open = new OpenItems();
    open.track(item("h", QuarantineStatus.RETRYING, "K", 10), true);
    open.track(item("p2", QuarantineStatus.PARKED, "K", 14), true);
    open.track(item("p1", QuarantineStatus.PARKED, "K", 12), true);
    assertEquals(List.of(), open.releasableKeys(), "the head is open");
    assertEquals(Optional.empty(), open.nextToRelease("K"));

    open.changed("h", QuarantineStatus.RESOLVED);
    assertEquals(List.of("K"), open.releasableKeys());
    assertEquals("p1", open.nextToRelease("K").orElseThrow().id, "original order");
    assertTrue(open.mustPark("K", 20), "still held back while parked items wait");

    open.changed("p1", QuarantineStatus.QUARANTINED);
    assertEquals(Optional.empty(), open.nextToRelease("K"), "p1 failed: it is the new head");
    assertEquals(Optional.of("p1"), open.headOf("K"));

    open.changed("p1", QuarantineStatus.DISCARDED);
    assertEquals("p2", open.nextToRelease("K").orElseThrow().id);
    open.changed("p2", QuarantineStatus.RESOLVED);
    assertFalse(open.mustPark("K", 20), "the lane is gone: the key flows again");
    assertEquals(0, open.size());
  }

  @Test
  void countsFollowStatusChangesAndTheOldestQuarantinedItemIsKnown() {
    OpenItems open = new OpenItems();
    open.track(item("a", QuarantineStatus.QUARANTINED, "A", 5), true);
    open.track(item("b", QuarantineStatus.QUARANTINED, "B", 2), true);
    open.track(item("c", QuarantineStatus.PARKED, "A", 7), true);
    assertEquals(2, open.count(QuarantineStatus.QUARANTINED));
    assertEquals(Optional.of(T0.plusSeconds(2)), open.oldestQuarantined());
    assertEquals(List.of("a", "b"), open.headIds(false).stream().sorted().toList(), "parked items are not re-read");
    assertTrue(open.containsOffset(7));
    assertFalse(open.containsOffset(8));

    open.changed("b", QuarantineStatus.REDRIVEN);
    assertEquals(Optional.of(T0.plusSeconds(5)), open.oldestQuarantined());
    assertEquals(1, open.count(QuarantineStatus.REDRIVEN));
    open.changed("a", QuarantineStatus.RESOLVED);
    open.changed("unknown", QuarantineStatus.RESOLVED);
    assertEquals(0, open.count(QuarantineStatus.QUARANTINED));
    assertEquals(1, open.count(QuarantineStatus.PARKED));
    assertEquals(Optional.empty(), open.oldestQuarantined());
  }

  @Test
  void theOldestQuarantinedItemFollowsItemsThatShareAnInstantLeaveAndComeBack() {
    OpenItems open = new OpenItems();
    open.track(item("a", QuarantineStatus.QUARANTINED, "A", 4), true);
    open.track(new OpenItem("a2", QuarantineStatus.QUARANTINED, Optional.of("A2"), 40, T0.plusSeconds(4), 1), true);
    open.track(item("b", QuarantineStatus.QUARANTINED, "B", 9), true);
    open.track(item("r", QuarantineStatus.RETRYING, "R", 1), true);
    assertEquals(Optional.of(T0.plusSeconds(4)), open.oldestQuarantined(), "a RETRYING item is not quarantined");

    open.changed("a", QuarantineStatus.RESOLVED);
    assertEquals(Optional.of(T0.plusSeconds(4)), open.oldestQuarantined(), "a2 was quarantined at the same instant");
    open.changed("a2", QuarantineStatus.REDRIVEN);
    assertEquals(Optional.of(T0.plusSeconds(9)), open.oldestQuarantined());
    open.changed("a2", QuarantineStatus.QUARANTINED);
    assertEquals(Optional.of(T0.plusSeconds(4)), open.oldestQuarantined(), "quarantined again after its redrive");
    open.changed("r", QuarantineStatus.QUARANTINED);
    assertEquals(Optional.of(T0.plusSeconds(1)), open.oldestQuarantined());

    open.setAside(0, 5, offset -> "none");
    assertEquals(Optional.of(T0.plusSeconds(4)), open.oldestQuarantined(), "r, set aside, is counted out");
    open.changed("a2", QuarantineStatus.DISCARDED);
    assertEquals(Optional.of(T0.plusSeconds(9)), open.oldestQuarantined());
    open.changed("b", QuarantineStatus.DISCARDED);
    assertEquals(Optional.empty(), open.oldestQuarantined());
    assertEquals(0, open.count(QuarantineStatus.QUARANTINED));
  }

  @Test
  void trackingAFinalItemOrTheSameItemTwiceChangesNothingTwice() {
    OpenItems open = new OpenItems();
    open.track(item("r", QuarantineStatus.RESOLVED, "K", 1), true);
    assertEquals(0, open.size());
    open.track(item("q", QuarantineStatus.QUARANTINED, "K", 2), true);
    open.track(item("q", QuarantineStatus.QUARANTINED, "K", 2), true);
    assertEquals(1, open.count(QuarantineStatus.QUARANTINED));
  }

  @Test
  void aRewindsPassSetsAsideTheFirstPassItemsOfItsOffsetsButKeepsItsOwnAndEarlierOnes() {
    OpenItems open = new OpenItems();
    open.track(item("before", QuarantineStatus.QUARANTINED, "A", 3), true);
    open.track(item("old-10", QuarantineStatus.QUARANTINED, "K", 10), true);
    open.track(item("old-11", QuarantineStatus.PARKED, "K", 11), true);
    // The first pass's item and the pass's own of the same offset, as a restart within the pass loads them.
    open.track(item("old-12", QuarantineStatus.QUARANTINED, "L", 12), true);
    open.track(item("pass-12", QuarantineStatus.QUARANTINED, "L", 12), true);
    open.track(item("live-20", QuarantineStatus.QUARANTINED, "M", 20), true);

    Map<Long, OpenItem> aside = open.setAside(5, 20, offset -> "pass-" + offset);
    assertEquals(Map.of(10L, "old-10", 11L, "old-11", 12L, "old-12"), aside.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().id())), "the items set aside, for the pass");
    assertEquals(Optional.of("K"), aside.get(11L).key());
    assertEquals(QuarantineStatus.PARKED, aside.get(11L).status());

    assertFalse(open.containsOffset(10), "the rewound event of an old item is delivered again");
    assertFalse(open.mustPark("K", 12), "nor does the old item park later events of its key");
    assertTrue(open.containsOffset(12), "the pass's own item is kept");
    assertTrue(open.mustPark("A", 6), "an item before the rewind's start holds its key as before");
    assertTrue(open.containsOffset(20), "past the end: live, kept");
    assertEquals(3, open.size());
    assertEquals(0, open.count(QuarantineStatus.PARKED));
  }
}
