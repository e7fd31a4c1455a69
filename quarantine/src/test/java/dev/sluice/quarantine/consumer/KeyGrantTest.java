package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** A grant covers every stream or the streams it names, and refuses to be empty or ambiguous. */
class KeyGrantTest {
  @Test
  void aGrantOfEveryStreamCoversAny() {
    assertTrue(KeyGrant.allStreams().covers("retail"));
    assertTrue(KeyGrant.allStreams().covers("payments"));
  }

  @Test
  void aGrantOfSomeStreamsCoversThoseOnly() {
    KeyGrant grant = KeyGrant.only("payments", "orders");
    assertTrue(grant.covers("payments"));
    assertTrue(grant.covers("orders"));
    assertFalse(grant.covers("retail"));
    assertFalse(grant.covers("Payments"), "stream names are exact");
  }

  @Test
  void anEmptyOrBlankOrAmbiguousGrantIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> KeyGrant.only(Set.of()));
    assertThrows(IllegalArgumentException.class, () -> KeyGrant.only(" "));
    assertThrows(IllegalArgumentException.class, () -> new KeyGrant(true, Set.of("retail")));
  }
}
