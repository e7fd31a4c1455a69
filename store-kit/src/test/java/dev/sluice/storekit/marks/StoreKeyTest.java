package dev.sluice.storekit.marks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class StoreKeyTest {
  @Test
  void theFormatIsPinnedBecauseKeysAreStored() {
    // sha256("5:/shope-1") and sha256("15:catalog-builder" + "e-1"): what the gateway and the consumers wrote before.
    assertEquals("348ac3babffd148f620b893824dd5e08f11236c5c218956e616c23a45f2ac172",
        StoreKey.of("/shop", "e-1").value());
    assertEquals("6d03d7ef0668d445b1f3932b3842699f4eaf87190574a75b1f2f67b2266ee23d",
        StoreKey.of("catalog-builder", "e-1").value());
  }

  @Test
  void theKeyIsAFixedSizeHashWhateverTheIdLength() {
    String key = StoreKey.of("g", "x".repeat(100_000)).value();
    assertEquals(64, key.length());
    assertTrue(key.matches("[0-9a-f]{64}"));
    assertEquals(key, StoreKey.of("g", "x".repeat(100_000)).value(), "stable");
  }

  @Test
  void scopeAndIdCannotBeShiftedIntoEachOther() {
    assertNotEquals(StoreKey.of("ab", "c"), StoreKey.of("a", "bc"));
    assertNotEquals(StoreKey.of("/sho", "pe-1"), StoreKey.of("/shop", "e-1"));
  }
}
