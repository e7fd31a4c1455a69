package dev.sluice.quarantine.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.storekit.marks.StoreKey;
import org.junit.jupiter.api.Test;

/** What makes "the same event" for a consumer; the hash itself is StoreKey's (StoreKeyTest in store-kit). */
class EventKeyTest {
  @Test
  void theStoreKeyIsTheStoreKitsKeyOfScopeAndId() {
    assertEquals(StoreKey.of("g", "e-1").value(), EventKey.of("g", "e-1").storeKey());
  }

  @Test
  void groupAndSourceCannotBeShiftedIntoEachOther() {
    assertNotEquals(EventKey.of("a", "b/c", "e").storeKey(), EventKey.of("a/b", "c", "e").storeKey());
  }

  @Test
  void theSourceNarrowsTheScope() {
    assertNotEquals(EventKey.of("g", "/shop", "e-1"), EventKey.of("g", "/warehouse", "e-1"));
    assertNotEquals(EventKey.of("g", "/shop", "e-1").storeKey(), EventKey.of("g", "e-1").storeKey());
    assertEquals("g", EventKey.of("g", "e-1").scope());
  }

  @Test
  void emptyPartsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> EventKey.of("", "e"));
    assertThrows(IllegalArgumentException.class, () -> EventKey.of("g", ""));
    assertThrows(NullPointerException.class, () -> EventKey.of("g", null));
  }
}
