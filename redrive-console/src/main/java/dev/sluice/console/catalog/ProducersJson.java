package dev.sluice.console.catalog;

import dev.sluice.storekit.producers.ProducerReport;
import dev.sluice.storekit.producers.ProducersSeen;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

/**
 * "Producers seen" on a stream's page: per API key name (never a token or hash: names are labels), from the gateway
 * instances' reports, one row, by name:
 *
 * <ul>
 *   <li>{@code ratePerSecond} and {@code windowEvents}: summed over the reports that are current (made within three
 *       report intervals, {@link ProducerReport#liveAt}), each over its own last window (about one interval);</li>
 *   <li>{@code gateways}: how many gateway instances' reports are current;</li>
 *   <li>{@code totalEvents}: summed over every report kept, each counting its instance's events since it started;</li>
 *   <li>{@code lastSeen}: the latest event of the key on the stream any instance reported;</li>
 *   <li>{@code idle}: no current report has events. A key stays listed, idle, until its reports expire (the table's
 *       retention), so a producer that went quiet is still named.</li>
 * </ul>
 * Pure: the reports and the time they were read in, JSON out.
 */
public final class ProducersJson {
  private ProducersJson() {}

  public static JsonArray of(ProducersSeen seen) {
    TreeMap<String, List<ProducerReport>> byKey = new TreeMap<>();
    seen.reports().forEach(r -> byKey.computeIfAbsent(r.keyName(), k -> new ArrayList<>()).add(r));
    JsonArray rows = new JsonArray();
    byKey.forEach((key, reports) -> rows.add(row(key, reports, seen.readAt())));
    return rows;
  }

  private static JsonObject row(String key, List<ProducerReport> reports, Instant now) {
    double rate = 0;
    long windowEvents = 0;
    long total = 0;
    int gateways = 0;
    Instant lastSeen = Instant.EPOCH;
    for (ProducerReport r : reports) {
      total += r.totalEvents();
      lastSeen = r.lastSeen().isAfter(lastSeen) ? r.lastSeen() : lastSeen;
      if (r.liveAt(now)) {
        gateways++;
        rate += r.ratePerSecond();
        windowEvents += r.windowEvents();
      }
    }
    return new JsonObject()
        .put("key", key)
        .put("ratePerSecond", rate)
        .put("windowEvents", windowEvents)
        .put("gateways", gateways)
        .put("totalEvents", total)
        .put("lastSeen", lastSeen.toString())
        .put("idle", windowEvents == 0);
  }
}
