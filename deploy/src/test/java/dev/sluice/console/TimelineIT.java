package dev.sluice.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.console.QuarantineSeeds.Seed;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.Http;
import dev.sluice.deploy.testing.Stack;
import dev.sluice.deploy.testing.StackExtension;
import dev.sluice.quarantine.store.QuarantineReason;
import dev.sluice.schemas.Violation;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The chart's data: items quarantined per hour and reason, over the list's filters, read from the indexes. */
@ExtendWith({EnginesExtension.class, StackExtension.class})
class TimelineIT {
  private final Http operator = Http.operator();

  @Test
  void countsItemsPerHourAndReasonWithinTheFilters(Stack stack) throws Exception {
    String group = "timeline-" + UUID.randomUUID().toString().substring(0, 8);
    Instant hour = Instant.now().truncatedTo(ChronoUnit.HOURS);
    try (QuarantineSeeds seeds = new QuarantineSeeds(stack)) {
      // Two schema violations three hours ago, one handler rejection in the current hour, one item 30 hours ago
      // (outside the default 24 hours), and one of another group (outside the filter).
      List<Violation> price = List.of(new Violation("/data/price", "minimum", "low"));
      seeds.put(Seed.of("retail", group, 1, hour.minus(Duration.ofHours(3)).plusSeconds(60))
          .failure(QuarantineReason.SCHEMA_VIOLATION, "", price));
      seeds.put(Seed.of("retail", group, 2, hour.minus(Duration.ofHours(3)).plusSeconds(120))
          .failure(QuarantineReason.SCHEMA_VIOLATION, "", price));
      seeds.put(Seed.of("retail", group, 3, hour.plusSeconds(1)));
      seeds.put(Seed.of("retail", group, 4, hour.minus(Duration.ofHours(30)))
          .failure(QuarantineReason.SCHEMA_VIOLATION, "", price));
      seeds.put(Seed.of("retail", group + "-other", 5, hour.plusSeconds(2)));
    }

    Http.Response r = operator.get(stack.consoleUrl() + "/api/v1/quarantine/timeline?group=" + group);
    assertEquals(200, r.status(), r.body());
    JsonObject body = r.json();
    assertEquals(3600, body.getInteger("bucketSeconds"));
    JsonArray starts = body.getJsonArray("starts");
    assertEquals(24, starts.size(), "24 hours by default, the current one last");
    assertEquals(hour.toString(), starts.getString(23));
    JsonObject series = body.getJsonObject("series");
    String seeded = QuarantineReason.SCHEMA_VIOLATION.name();
    assertEquals(2L, series.getJsonArray(seeded).getLong(20), body.encode());
    assertEquals(2L, series.getJsonArray(seeded).stream().mapToLong(v -> ((Number) v).longValue()).sum(),
        "the item 30 hours ago is outside the range");
    assertEquals(1L, series.getJsonArray("HANDLER_REJECTED").getLong(23));
    assertTrue(body.getBoolean("complete"));

    JsonObject narrowed = operator.get(stack.consoleUrl() + "/api/v1/quarantine/timeline?group=" + group
        + "&reason=HANDLER_REJECTED").json();
    assertEquals(List.of("HANDLER_REJECTED"), List.copyOf(narrowed.getJsonObject("series").fieldNames()));

    JsonObject week = operator.get(stack.consoleUrl() + "/api/v1/quarantine/timeline?group=" + group + "&from="
        + hour.minus(Duration.ofDays(30))).json();
    assertEquals(168, week.getJsonArray("starts").size(), "at most a week of hours");
    assertEquals(400, operator.get(stack.consoleUrl() + "/api/v1/quarantine/timeline?status=nope").status());
  }
}
