package dev.sluice.quarantine.replay;

import static dev.sluice.deploy.testing.MarkTableFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.MarkTableFixture;
import dev.sluice.storekit.dynamo.WorkerTable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The replay store against DynamoDB Local: one active replay per group, held by its lock item and freed by the
 * replay's end; every state change conditional (of two ends, one wins); progress only forward and only while running.
 */
@ExtendWith(EnginesExtension.class)
class ReplayStoreIT {
  private static final OffsetPlan PLAN = new OffsetPlan("retail", Map.of(0, 0L, 1, 5L), Map.of(0, 10L, 1, 5L));

  private MarkTableFixture t;
  private ReplayStore store;

  @BeforeEach
  void setUp(Engines engines) {
    t = new MarkTableFixture(engines, "replays-it", ReplayStore::ensure);
    store = new ReplayStore(new WorkerTable(t.vertx, t.dynamo, t.table, t.clock));
  }

  @AfterEach
  void tearDown() throws Exception {
    t.close();
  }

  private Replay replay(String id, String group) {
    return Replay.started(id, new Replay.Target("retail", group, ReplayFrom.earliest()), PLAN, "ann", t.clock.instant());
  }

  private Replay stored(Replay r) throws Exception {
    return assertInstanceOf(ReplayStore.Stored.class, await(store.create(r))).replay();
  }

  @Test
  void aGroupHasOneActiveReplayUntilItEnds() throws Exception {
    Replay first = stored(replay("00000000000000a1", "billing-v2"));
    assertEquals(new ReplayStore.GroupBusy(first.id()), await(store.create(replay("00000000000000a2", "billing-v2"))));
    stored(replay("00000000000000b1", "other-group"));
    assertEquals(Optional.of(first), await(store.active("billing-v2")));
    assertEquals(Optional.of(first), await(store.get(first.id())));
    assertEquals(2, await(store.list(10)).size(), "replays only, not the groups' locks");

    Replay done = assertInstanceOf(ReplayStore.Changed.class, await(store.end(first, ReplayState.DONE))).replay();
    assertEquals(ReplayState.DONE, done.state());
    assertEquals(1, done.version());
    assertEquals(Optional.empty(), await(store.active("billing-v2")), "its end freed the group");
    stored(replay("00000000000000a3", "billing-v2"));
  }

  @Test
  void ofTwoEndsOnlyOneWinsAndTheOtherIsToldWhatItLostTo() throws Exception {
    Replay running = stored(replay("00000000000000c1", "g"));
    assertInstanceOf(ReplayStore.Changed.class, await(store.end(running, ReplayState.CANCELLED)));
    ReplayStore.Lost lost = assertInstanceOf(ReplayStore.Lost.class, await(store.end(running, ReplayState.DONE)));
    assertEquals(ReplayState.CANCELLED, lost.current().orElseThrow().state());
    assertEquals(Optional.empty(), await(store.progress(running, 0, 7)), "no progress once it ended");
  }

  @Test
  void progressMovesOnePartitionForwardOnly() throws Exception {
    Replay running = stored(replay("00000000000000d1", "g"));
    Replay at7 = await(store.progress(running, 0, 7)).orElseThrow();
    assertEquals(Map.of(0, 7L, 1, 5L), at7.progress());
    assertEquals(Optional.empty(), await(store.progress(running, 0, 6)), "an older offset is not recorded");
    assertEquals(0, at7.version(), "progress is not a state change");
    Replay at10 = await(store.progress(at7, 0, 10)).orElseThrow();
    assertTrue(at10.allPassed(), "partition 1 had nothing to replay");
  }

  @Test
  void aReplayThatNeverStartedIsDeletedWithItsLockAndNothingElseIs() throws Exception {
    Replay running = stored(replay("00000000000000e1", "g"));
    assertTrue(await(store.discard(running)));
    assertEquals(Optional.empty(), await(store.get(running.id())));
    assertEquals(List.of(), t.items(), "nothing is left of it");
    Replay ended = stored(replay("00000000000000e2", "g"));
    await(store.end(ended, ReplayState.DONE));
    assertEquals(false, await(store.discard(ended)), "an ended replay is kept");
  }
}
