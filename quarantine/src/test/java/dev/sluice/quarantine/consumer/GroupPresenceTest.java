package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.groups.GroupHeartbeat;
import dev.sluice.quarantine.groups.OutcomeCounts;
import dev.sluice.quarantine.groups.SchemaVersionsSeen;
import dev.sluice.quarantine.groups.StreamOutcomes;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.quarantine.testing.HandClock;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.contracts.ReadContract;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A wrapper's heartbeat says, per stream it owns partitions of, the worst staleness of those partitions, and what the
 * group declares it reads, and per stream the records handled and quarantined since the previous heartbeat.
 */
class GroupPresenceTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theHeartbeatCarriesTheWorstStalenessPerStreamNamedAsTheCatalogNamesIt() throws Exception {
    RecordingSink beats = new RecordingSink();
    // "retail" is the catalog's stream of topic "retail"; "legacy-feed" is a topic outside the catalog.
    WrapperConfig config = WrapperConfig.of("catalog-builder", Set.of("retail", "legacy-feed"), BackoffPolicy.dev());
    GroupPresence presence = GroupPresence.heartbeating(vertx, beats, config, new GroupPresence.Reports(
        SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()), SchemaVersionsSeen.withDefaults(Clock.systemUTC()),
        () -> Map.of("retail", 95.5, "legacy-feed", 0.0), ReadContract.NONE, new OutcomeCounts(), Clock.systemUTC()),
        Duration.ofHours(1));
    presence.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      assertEquals(1, beats.sent.size());
      GroupHeartbeat hb = beats.sent.get(0);
      assertEquals(Set.of("retail", "legacy-feed"), hb.streams());
      assertEquals(Map.of("retail", 95.5, "legacy-feed", 0.0), hb.staleness());
    } finally {
      presence.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void everyHeartbeatCarriesTheGroupsReadContract() throws Exception {
    RecordingSink beats = new RecordingSink();
    ReadContract contract = ReadContract.builder().owner("team-catalog").contact("#catalog")
        .reads("retail.product.created", "/data/price").build();
    GroupPresence presence = GroupPresence.heartbeating(vertx, beats,
        WrapperConfig.of("catalog-builder", Set.of("retail"), BackoffPolicy.dev()), new GroupPresence.Reports(
            SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()), SchemaVersionsSeen.withDefaults(Clock.systemUTC()),
            Map::of, contract, new OutcomeCounts(), Clock.systemUTC()), Duration.ofMillis(20));
    presence.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (beats.sent.size() < 2) {
        assertTrue(System.nanoTime() < deadline, "a second heartbeat");
        Thread.sleep(10);
      }
      assertEquals(contract, beats.sent.get(0).contract());
      assertEquals(contract, beats.sent.get(1).contract(), "each one, not only the first");
    } finally {
      presence.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void fromTheSecondHeartbeatEachCarriesPerStreamTheOutcomesOfItsWindow() throws Exception {
    RecordingSink beats = new RecordingSink();
    HandClock clock = new HandClock(Instant.parse("2025-03-01T10:00:00Z"));
    OutcomeCounts counts = new OutcomeCounts();
    counts.handled("retail");
    GroupPresence presence = GroupPresence.heartbeating(vertx, beats,
        WrapperConfig.of("catalog-builder", Set.of("retail", "legacy-feed"), BackoffPolicy.dev()),
        new GroupPresence.Reports(SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()),
            SchemaVersionsSeen.withDefaults(clock), Map::of, ReadContract.NONE, counts, clock),
        Duration.ofMillis(20));
    presence.start().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    try {
      assertEquals(Map.of(), beats.sent.get(0).outcomes(), "the first only takes the starting point");
      // Heartbeats while the hand clock stands still report nothing and keep the starting point.
      for (int i = 0; i < 3; i++) {
        counts.handled("retail");
      }
      counts.quarantined("retail");
      clock.advance(Duration.ofSeconds(10));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      GroupHeartbeat reported = null;
      while (reported == null) {
        assertTrue(System.nanoTime() < deadline, "a heartbeat with outcomes");
        reported = beats.sent.stream().filter(hb -> !hb.outcomes().isEmpty()).findFirst().orElse(null);
        Thread.sleep(10);
      }
      assertEquals(Map.of("retail", new StreamOutcomes(3, 1, 10.0), "legacy-feed", new StreamOutcomes(0, 0, 10.0)),
          reported.outcomes(), "the count before the first heartbeat is in no window; a stream without any is 0");
    } finally {
      presence.stop().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }
  }
}
