package dev.sluice.console.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AuditCursorTest {
  private static final String SK = "1700000000123#6f1c2b1e-0000-3000-8000-000000000001";

  @Test
  void roundTrips() {
    AuditCursor c = new AuditCursor(SK);
    assertEquals(Optional.of(c), AuditCursor.decode(c.encode()));
    assertEquals(1_700_000_000_123L, c.millis());
  }

  @Test
  void refusesAnythingElse() {
    assertEquals(Optional.empty(), AuditCursor.decode("%%"));
    assertEquals(Optional.empty(), AuditCursor.decode(b64("a1:12#x")));
    assertEquals(Optional.empty(), AuditCursor.decode(b64("zz:" + SK)));
    assertThrows(IllegalArgumentException.class, () -> new AuditCursor("nope"));
  }

  @Test
  void anEntrysSortKeyOrdersByTimeThenIdAndItsAttributesRoundTrip() {
    AuditRecord r = new AuditRecord("6f1c2b1e-0000-3000-8000-000000000001", Instant.ofEpochMilli(5), "ann",
        "DISCARD", List.of("b", "a"), "duplicate", Optional.empty(), Optional.of("{\"x\":1}"),
        Optional.of("retail-1@42"));
    assertEquals("0000000000005#6f1c2b1e-0000-3000-8000-000000000001", AuditLog.sortKey(r));
    AuditRecord back = AuditLog.fromAttributes(AuditLog.toAttributes(r));
    assertEquals(List.of("a", "b"), back.itemIds(), "a set, read back sorted");
    assertEquals(r.actor(), back.actor());
    assertEquals(r.after(), back.after());
    assertEquals(Optional.empty(), back.before());
    assertEquals(Optional.of("retail-1@42"), back.position());
    assertEquals("1970-01-01", AuditLog.toAttributes(r).get(AuditTable.DAY).s());
  }

  private static String b64(String s) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
