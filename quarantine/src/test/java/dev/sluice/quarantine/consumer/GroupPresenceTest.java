package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.quarantine.groups.GroupHeartbeat;
import dev.sluice.quarantine.groups.HeartbeatSink;
import dev.sluice.quarantine.groups.SchemaVersionsSeen;
import dev.sluice.quarantine.retry.BackoffPolicy;
import dev.sluice.schemas.catalog.StreamCatalog;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A wrapper's heartbeat says, per stream it owns partitions of, the worst staleness of those partitions. */
class GroupPresenceStalenessTest {
  private final Vertx vertx = Vertx.vertx();

  @AfterEach
  void tearDown() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  /** Keeps the heartbeats; an in-memory implementation of our own interface. */
  private static final class Beats implements HeartbeatSink {
    final List<GroupHeartbeat> sent = new CopyOnWriteArrayList<>();

    @Override
    public Future<Void> heartbeat(GroupHeartbeat heartbeat) {
      sent.add(heartbeat);
      return Future.succeededFuture();
    }

    @Override
    public Future<Void> remove(String group, String instanceId) {
      return Future.succeededFuture();
    }
  }

  @Test
  void theHeartbeatCarriesTheWorstStalenessPerStreamNamedAsTheCatalogNamesIt() throws Exception {
    Beats beats = new Beats();
    // "retail" is the catalog's stream of topic "retail"; "legacy-feed" is a topic outside the catalog.
    WrapperConfig config = WrapperConfig.of("catalog-builder", Set.of("retail", "legacy-feed"), BackoffPolicy.dev());
    GroupPresence presence = GroupPresence.heartbeating(vertx, beats, config,
        SchemaRegistry.fromCatalog(StreamCatalog.loadDefault()), SchemaVersionsSeen.withDefaults(Clock.systemUTC()),
        () -> Map.of("retail", 95.5, "legacy-feed", 0.0), Duration.ofHours(1));
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
}
