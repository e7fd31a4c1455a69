package dev.sluice.quarantine.replay;

import static dev.sluice.deploy.testing.MarkTableFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.MarkTableFixture;
import dev.sluice.storekit.dynamo.WorkerTable;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A rewind in the replay store against DynamoDB Local: kept and read back as a rewind; each partition marked rewound
 * once (a second instance, or one that took the partition over, is refused), with where the group's unfinished work
 * began, its progress restarted there; no mark on a cold start or an ended rewind; a rewind stored before unfinished
 * work was recorded is marked without it.
 */
@ExtendWith(EnginesExtension.class)
class RewindStoreIT {
  private static final OffsetPlan PLAN = new OffsetPlan("retail", Map.of(0, 4L, 1, 5L), Map.of(0, 10L, 1, 5L));

  private MarkTableFixture t;
  private ReplayStore store;

  @BeforeEach
  void setUp(Engines engines) {
    t = new MarkTableFixture(engines, "rewinds-it", ReplayStore::ensure);
    store = new ReplayStore(new WorkerTable(t.vertx, t.dynamo, t.table, t.clock));
  }

  @AfterEach
  void tearDown() throws Exception {
    t.close();
  }

  private Replay stored(Replay r) throws Exception {
    return assertInstanceOf(ReplayStore.Stored.class, await(store.create(r))).replay();
  }

  private Replay.Target target(String group) {
    return new Replay.Target("retail", group, ReplayFrom.earliest());
  }

  @Test
  void aPartitionIsRewoundOnceAndItsProgressStartsAgainWhereItWasMovedTo() throws Exception {
    Replay rewind = stored(Replay.rewindStarted("00000000000000e1", target("billing"), PLAN, true, "ann",
        t.clock.instant()));
    assertEquals(Optional.of(rewind), await(store.get(rewind.id())), "read back as it was stored, a rewind");
    assertTrue(rewind.rewindDue(0));
    assertFalse(rewind.rewindDue(1), "nothing to read again there");

    // The group committed further in its first pass: recorded, yet the partition cannot pass before it is rewound.
    Replay ahead = await(store.progress(rewind, 0, 12)).orElseThrow();
    assertFalse(ahead.passed(0));

    Replay rewound = await(store.rewound(ahead, 0, 3, 12)).orElseThrow();
    assertEquals(Map.of(0, 3L), rewound.rewind().rewoundAt());
    assertEquals(Map.of(0, 12L), rewound.rewind().unfinishedAt(), "where the group's unfinished work began");
    assertEquals(3, rewound.reached(0), "progress starts again where the partition was moved to");
    assertEquals(rewind.version(), rewound.version(), "not a state change");
    assertFalse(rewound.rewindDue(0));
    assertEquals(Optional.empty(), await(store.rewound(rewind, 0, 4, 4)), "a partition is rewound once");
    assertEquals(rewound, await(store.get(rewind.id())).orElseThrow());

    Replay passed = await(store.progress(rewound, 0, 10)).orElseThrow();
    assertTrue(passed.allPassed(), "rewound, and committed past its end");
  }

  @Test
  void aColdStartOrAnEndedRewindTakesNoMark() throws Exception {
    Replay cold = stored(Replay.started("00000000000000f1", target("g1"), PLAN, "ann", t.clock.instant()));
    assertEquals(Optional.empty(), await(store.rewound(cold, 0, 4, 4)));
    Replay rewind = stored(Replay.rewindStarted("00000000000000f2", target("g2"), PLAN, false, "ann",
        t.clock.instant()));
    assertInstanceOf(ReplayStore.Changed.class, await(store.end(rewind, ReplayState.CANCELLED)));
    assertEquals(Optional.empty(), await(store.rewound(rewind, 0, 4, 4)));
    assertEquals(Map.of(), await(store.get(rewind.id())).orElseThrow().rewind().rewoundAt());
  }

  @Test
  void aRewindStoredBeforeUnfinishedWorkWasRecordedIsStillMarkedRewoundWithoutIt() throws Exception {
    Replay rewind = stored(Replay.rewindStarted("00000000000000a1", target("g3"), PLAN, true, "ann",
        t.clock.instant()));
    // As an item written by an earlier version: its rewind has no unfinished-work map.
    t.dynamo.updateItem(b -> b.tableName(t.table).key(ReplayCodec.key(rewind.id()))
        .updateExpression("REMOVE #rewind.#unfinished")
        .expressionAttributeNames(Map.of("#rewind", ReplayCodec.REWIND, "#unfinished", ReplayCodec.UNFINISHED_AT)));
    Replay rewound = await(store.rewound(rewind, 0, 3, 12)).orElseThrow();
    assertEquals(Map.of(0, 3L), rewound.rewind().rewoundAt());
    assertEquals(Map.of(), rewound.rewind().unfinishedAt(), "none recorded: its slice passes nothing over there");
    assertFalse(rewound.rewind().readAgain(0, 3));
    assertEquals(Optional.empty(), await(store.rewound(rewind, 0, 4, 4)), "still rewound once");
  }
}
