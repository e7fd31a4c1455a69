package dev.sluice.storekit.producers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A report's item, attribute by attribute (the names are stored), and what a reader makes of a report. */
class ProducerTableTest {
  private static final Instant AT = Instant.parse("2025-03-01T10:15:30.250Z");

  private static ProducerReport report(long windowEvents, Duration window, long total) {
    return new ProducerReport("retail", "shop-web", "gw-1-ab12cd34", windowEvents, window, Duration.ofSeconds(15),
        total, AT.minusMillis(700), AT);
  }

  @Test
  void anItemHoldsEveryFieldUnderItsStoredNameAndReadsBackTheSame() {
    ProducerReport r = report(30, Duration.ofMillis(15_020), 1_234);
    Map<String, AttributeValue> item = ProducerTable.item(r, Duration.ofHours(24));
    Map<String, AttributeValue> expected = new HashMap<>();
    expected.put("stream", AttributeValue.fromS("retail"));
    expected.put("producer", AttributeValue.fromS("shop-web#gw-1-ab12cd34"));
    expected.put("keyName", AttributeValue.fromS("shop-web"));
    expected.put("instance", AttributeValue.fromS("gw-1-ab12cd34"));
    expected.put("windowEvents", AttributeValue.fromN("30"));
    expected.put("windowMillis", AttributeValue.fromN("15020"));
    expected.put("intervalMillis", AttributeValue.fromN("15000"));
    expected.put("totalEvents", AttributeValue.fromN("1234"));
    expected.put("lastSeen", AttributeValue.fromN(Long.toString(AT.toEpochMilli() - 700)));
    expected.put("reportedAt", AttributeValue.fromN(Long.toString(AT.toEpochMilli())));
    // A day after the report, in seconds, rounded up: never deleted before its retention is over.
    expected.put("expiresAt", AttributeValue.fromN(Long.toString(AT.getEpochSecond() + 86_400 + 1)));
    assertEquals(expected, item);
    assertEquals(r, ProducerTable.report(item));
    assertEquals(Map.of("stream", item.get("stream"), "producer", item.get("producer")),
        ProducerTable.key("retail", "shop-web", "gw-1-ab12cd34"));
  }

  @Test
  void anItemWithoutAFieldIsRefusedNamingIt() {
    Map<String, AttributeValue> item = new HashMap<>(ProducerTable.item(report(1, Duration.ofSeconds(15), 1),
        Duration.ofHours(1)));
    item.remove("totalEvents");
    NullPointerException e = assertThrows(NullPointerException.class, () -> ProducerTable.report(item));
    assertTrue(e.getMessage().contains("totalEvents"), e.getMessage());
  }

  @Test
  void theRateIsTheWindowsEventsPerSecond() {
    assertEquals(2.0, report(30, Duration.ofSeconds(15), 30).ratePerSecond());
    assertEquals(0.0, report(0, Duration.ofSeconds(15), 30).ratePerSecond());
    assertEquals(1.5, report(45, Duration.ofSeconds(30), 45).ratePerSecond(), "a window that grew after a failure");
  }

  @Test
  void aReportIsCurrentForThreeIntervalsAfterItWasMade() {
    ProducerReport r = report(30, Duration.ofSeconds(15), 30);
    assertTrue(r.liveAt(AT));
    assertTrue(r.liveAt(AT.plusSeconds(44)));
    assertFalse(r.liveAt(AT.plusSeconds(45)), "three intervals of 15 s");
  }

  @Test
  void aReportIsRefusedWhenItsNumbersOrNamesCannotBeTrue() {
    assertThrows(IllegalArgumentException.class, () -> report(-1, Duration.ofSeconds(15), 0));
    assertThrows(IllegalArgumentException.class, () -> report(5, Duration.ofSeconds(15), 4),
        "a window with more events than the total");
    assertThrows(IllegalArgumentException.class, () -> report(0, Duration.ZERO, 0));
    assertThrows(IllegalArgumentException.class, () -> new ProducerReport("retail", "a#b", "gw", 0,
        Duration.ofSeconds(1), Duration.ofSeconds(1), 0, AT, AT), "the separator of the range key");
    assertThrows(IllegalArgumentException.class, () -> new ProducerReport("retail", " ", "gw", 0,
        Duration.ofSeconds(1), Duration.ofSeconds(1), 0, AT, AT));
  }
}
