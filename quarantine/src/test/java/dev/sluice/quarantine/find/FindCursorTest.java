package dev.sluice.quarantine.find;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FindCursorTest {
  @Test
  void encodesAndDecodesAPosition() {
    FindCursor c = new FindCursor(1_700_000_000_123L, "6f1c2a9e-1111-2222-3333-444455556666");
    String encoded = c.encode();
    assertTrue(encoded.matches("[A-Za-z0-9_-]+"), "URL safe without escaping: " + encoded);
    assertEquals(Optional.of(c), FindCursor.decode(encoded));
    assertEquals(Optional.of(FindCursor.before(42)), FindCursor.decode(FindCursor.before(42).encode()));
  }

  @Test
  void refusesWhatItDidNotWrite() {
    assertEquals(Optional.empty(), FindCursor.decode(""));
    assertEquals(Optional.empty(), FindCursor.decode("not base64 !"));
    assertEquals(Optional.empty(), FindCursor.decode(b64("2:1:x")), "unknown version");
    assertEquals(Optional.empty(), FindCursor.decode(b64("1:abc:x")), "time not a number");
    assertEquals(Optional.empty(), FindCursor.decode(b64("1:-5:x")), "negative time");
    assertEquals(Optional.empty(), FindCursor.decode(b64("1:5")), "no id part");
    assertEquals(Optional.empty(), FindCursor.decode("A".repeat(FindCursor.MAX_ENCODED + 1)));
  }

  @Test
  void admitsOnlyWhatComesAfterIt() {
    FindCursor c = new FindCursor(100, "m");
    assertTrue(c.admits(99, "z"), "older");
    assertTrue(c.admits(100, "a"), "same time, smaller id");
    assertFalse(c.admits(100, "m"), "itself");
    assertFalse(c.admits(100, "z"), "same time, larger id (already returned)");
    assertFalse(c.admits(101, "a"), "newer");
    assertFalse(FindCursor.before(100).admits(100, "a"), "before(t) excludes t itself");
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
