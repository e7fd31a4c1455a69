package dev.sluice.console.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.storekit.producers.ProducerReport;
import dev.sluice.storekit.producers.ProducersSeen;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * "Producers seen": one row per API key name, rates summed over the gateway instances whose reports are current,
 * totals over every report kept, and a key whose reports are all stale or empty listed as idle.
 */
class ProducersJsonTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:15:30Z");
  private static final Duration EVERY = Duration.ofSeconds(15);

  private static ProducerReport report(String key, String instance, long window, long total, Instant reportedAt) {
    return new ProducerReport("retail", key, instance, window, EVERY, EVERY, total, reportedAt.minusSeconds(1),
        reportedAt);
  }

  @Test
  void aKeysRateIsSummedOverItsLiveGatewaysAndItsTotalOverEveryReportKept() {
    JsonArray rows = ProducersJson.of(new ProducersSeen(List.of(
        report("shop-web", "gw-1", 30, 300, NOW.minusSeconds(5)),
        report("shop-web", "gw-2", 15, 100, NOW.minusSeconds(10)),
        // Stopped a while ago: its last window no longer counts, its total does.
        report("shop-web", "gw-0", 90, 1_000, NOW.minusSeconds(600)),
        report("pos", "gw-1", 0, 7, NOW.minusSeconds(5))), NOW));
    assertEquals(2, rows.size());
    JsonObject pos = rows.getJsonObject(0);
    assertEquals("pos", pos.getString("key"), "by name");
    assertTrue(pos.getBoolean("idle"), "a current report with no events: " + pos.encode());
    assertEquals(0.0, pos.getDouble("ratePerSecond"));
    assertEquals(1, pos.getInteger("gateways"));

    JsonObject web = rows.getJsonObject(1);
    assertEquals("shop-web", web.getString("key"));
    assertEquals(3.0, web.getDouble("ratePerSecond"), "2/s and 1/s");
    assertEquals(45L, web.getLong("windowEvents"));
    assertEquals(2, web.getInteger("gateways"));
    assertEquals(1_400L, web.getLong("totalEvents"));
    assertEquals(NOW.minusSeconds(6).toString(), web.getString("lastSeen"));
    assertFalse(web.getBoolean("idle"));
  }

  @Test
  void aKeyWhoseReportsAreAllStaleIsListedIdleWithWhenItWasLastSeen() {
    JsonObject row = ProducersJson.of(new ProducersSeen(List.of(
        report("batch-loader", "gw-1", 500, 500, NOW.minus(EVERY.multipliedBy(3)))), NOW)).getJsonObject(0);
    assertEquals("batch-loader", row.getString("key"));
    assertTrue(row.getBoolean("idle"));
    assertEquals(0.0, row.getDouble("ratePerSecond"));
    assertEquals(0, row.getInteger("gateways"));
    assertEquals(500L, row.getLong("totalEvents"));
    assertEquals(NOW.minus(EVERY.multipliedBy(3)).minusSeconds(1).toString(), row.getString("lastSeen"));
  }

  @Test
  void noReportsNoRows() {
    assertTrue(ProducersJson.of(new ProducersSeen(List.of(), NOW)).isEmpty());
  }
}
