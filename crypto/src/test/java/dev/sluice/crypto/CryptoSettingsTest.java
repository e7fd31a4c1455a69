package dev.sluice.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class CryptoSettingsTest {
  @Test
  void defaultsAreTheDocumentedOnes() {
    CryptoSettings s = CryptoSettings.defaults("local:/tmp/kek.json");
    assertEquals("sluice-keys", s.keysTable());
    assertEquals("local:/tmp/kek.json", s.kekUri());
    assertEquals(new CryptoSettings.CacheBound(Duration.ofMinutes(5), 20_000), s.dekCache());
    assertEquals(new CryptoSettings.CacheBound(Duration.ofHours(1), 100), s.swkCache());
    assertEquals(new CryptoSettings.KeyCalls(Duration.ofSeconds(2), 16), s.keyCalls());
  }

  @Test
  void refusesBlankNamesAndNonPositiveBounds() {
    assertThrows(IllegalArgumentException.class, () -> CryptoSettings.defaults(" "));
    assertThrows(IllegalArgumentException.class, () -> CryptoSettings.defaults("local:/k").withKeysTable(""));
    assertThrows(IllegalArgumentException.class, () -> new CryptoSettings.CacheBound(Duration.ZERO, 1));
    assertThrows(IllegalArgumentException.class, () -> new CryptoSettings.CacheBound(Duration.ofMinutes(1), 0));
    assertThrows(IllegalArgumentException.class, () -> new CryptoSettings.KeyCalls(Duration.ofSeconds(-1), 1));
    assertThrows(IllegalArgumentException.class, () -> new CryptoSettings.KeyCalls(Duration.ofSeconds(1), 0));
    assertThrows(IllegalArgumentException.class, () -> new CryptoSettings.KeyCalls(Duration.ofSeconds(1), 257));
  }
}
