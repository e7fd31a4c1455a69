package dev.sluice.quarantine.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EventKeyTest {
  @Test
  void theStoreKeyIsAFixedSizeHashWhateverTheIdLength() {
    String key = EventKey.of("g", "x".repeat(100_000)).storeKey();
    assertEquals(64, key.length());
    assertTrue(key.matches("[0-9a-f]{64}"));
    assertEquals(key, EventKey.of("g", "x".repeat(100_000)).storeKey(), "stable");
  }

  @Test
  void scopeAndIdCannotBeShiftedIntoEachOther() {
    assertNotEquals(new EventKey("ab", "c").storeKey(), new EventKey("a", "bc").storeKey());
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
