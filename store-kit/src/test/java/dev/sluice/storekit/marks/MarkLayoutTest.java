package dev.sluice.storekit.marks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.storekit.dynamo.TtlTable;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Both stored formats, attribute by attribute: items written before the toolkit must read back the same. */
class MarkLayoutTest {
  private static final Instant NOW = Instant.parse("2025-01-01T00:00:00.250Z");
  private static final StoreKey KEY = StoreKey.of("/shop", "e-1");
  private final InstantSource clock = () -> NOW;

  @Test
  void epochSecondsKeepsTheWindowEndInTheTtlAttributeRoundedUpToWholeSeconds() {
    MarkLayout layout = MarkLayout.epochSeconds("pk", "expiresAt");
    long now = layout.now(clock);
    assertEquals(NOW.getEpochSecond(), now);
    long until = layout.windowEnd(now, Duration.ofMillis(1_500));
    assertEquals(now + 2, until, "1.5 s is kept for 2");
    assertEquals(
        Map.of("pk", AttributeValue.fromS(KEY.value()), "expiresAt", AttributeValue.fromN(Long.toString(until))),
        layout.keyAndExpiry(KEY, until));
    assertTrue(layout.validAt(layout.keyAndExpiry(KEY, until), until - 1));
    assertFalse(layout.validAt(layout.keyAndExpiry(KEY, until), until));
    assertEquals(TtlTable.keyedBy("pk").expiringOn("expiresAt"), layout.table());
  }

  @Test
  void epochMillisComparesMillisAndStampsATtlInSecondsRoundedUp() {
    MarkLayout layout = MarkLayout.epochMillis("pk", "validUntil", "expiresAt");
    long now = layout.now(clock);
    assertEquals(NOW.toEpochMilli(), now);
    long until = layout.windowEnd(now, Duration.ofMinutes(10));
    assertEquals(now + 600_000, until);
    assertEquals(Map.of(
            "pk", AttributeValue.fromS(KEY.value()),
            "validUntil", AttributeValue.fromN(Long.toString(until)),
            "expiresAt", AttributeValue.fromN(Long.toString((until + 999) / 1000))),
        layout.keyAndExpiry(KEY, until));
    assertTrue(layout.validAt(layout.keyAndExpiry(KEY, until), until - 1));
    assertFalse(layout.validAt(layout.keyAndExpiry(KEY, until), until));
    assertFalse(layout.validAt(Map.of("pk", AttributeValue.fromS(KEY.value())), 0), "no expiry: not valid");
  }
}
