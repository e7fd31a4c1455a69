package dev.sluice.crypto.keys;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class KeyVersionTest {
  @Test
  void isTheGenerationAndTheKeyIdAsEightLowerCaseHexDigits() {
    assertEquals("1.5e3a1f20", new KeyVersion(1, 0x5e3a1f20).text());
    assertEquals("12.0000000a", new KeyVersion(12, 10).text());
    assertEquals("2.ffffffff", new KeyVersion(2, -1).text(), "Tink's ids are unsigned");
  }

  @Test
  void parsesWhatItWrites() {
    for (KeyVersion v : new KeyVersion[] {new KeyVersion(1, 0), new KeyVersion(Long.MAX_VALUE, Integer.MIN_VALUE),
        new KeyVersion(7, -1)}) {
      assertEquals(Optional.of(v), KeyVersion.parse(v.text()));
    }
  }

  @Test
  void generationsStartAtOne() {
    assertThrows(IllegalArgumentException.class, () -> new KeyVersion(0, 1));
    assertEquals(Optional.empty(), KeyVersion.parse("0.00000001"));
    assertEquals(Optional.empty(), KeyVersion.parse(null));
  }
}
