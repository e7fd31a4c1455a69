package dev.sluice.loadtests.peers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PoisonKeysTest {
  @Test
  void everyTenthKeyIsPoisonEvenlySpread() {
    assertEquals(1_000, LongStream.range(0, 10_000).filter(i -> PoisonKeys.isPoison(PoisonKeys.key("q", i))).count());
    assertFalse(PoisonKeys.isPoison("q-0"));
    assertFalse(PoisonKeys.isPoison("q-8"));
    assertTrue(PoisonKeys.isPoison("q-9"));
    assertTrue(PoisonKeys.isPoison("q-19"));
    assertFalse(PoisonKeys.isPoison("q-20"));
  }

  @Test
  void theIndexIsAfterTheLastDashWhateverThePrefix() {
    assertTrue(PoisonKeys.isPoison("a-b-9"));
    assertEquals("w-12", PoisonKeys.key("w", 12));
  }

  @Test
  void keysWithoutAnIndexAreNeverPoison() {
    assertFalse(PoisonKeys.isPoison((String) null));
    assertFalse(PoisonKeys.isPoison((byte[]) null));
    assertFalse(PoisonKeys.isPoison("big"));
    assertFalse(PoisonKeys.isPoison("q-"));
    assertFalse(PoisonKeys.isPoison("q-x9"));
  }

  @Test
  void rawKeysAreReadAsUtf8() {
    assertTrue(PoisonKeys.isPoison("q-29".getBytes(StandardCharsets.UTF_8)));
    assertFalse(PoisonKeys.isPoison("q-28".getBytes(StandardCharsets.UTF_8)));
  }
}
