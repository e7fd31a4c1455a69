package dev.sluice.quarantine.replay;

import static dev.sluice.deploy.testing.MarkTableFixture.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.deploy.testing.Engines;
import dev.sluice.deploy.testing.EnginesExtension;
import dev.sluice.deploy.testing.MarkTableFixture;
import dev.sluice.quarantine.guard.HaltRule;
import dev.sluice.storekit.dynamo.WorkerTable;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Steering in the replay store against DynamoDB Local: pause, halt and resume are conditional on state and version
 * (of two, one wins) and keep the group's lock; a paused or halted replay is still the group's active one, records
 * progress and ends; instances' reports add up per instance, and a resume sets the halt rule's baseline.
 */
@ExtendWith(EnginesExtension.class)
class ReplaySteeringStoreIT {
  private static final OffsetPlan PLAN = new OffsetPlan("retail", Map.of(0, 0L, 1, 5L), Map.of(0, 10L, 1, 50L));

  private MarkTableFixture t;
  private ReplayStore store;

  @BeforeEach
  void setUp(Engines engines) {
    t = new MarkTableFixture(engines, "replays-steer-it", ReplayStore::ensure);
    store = new ReplayStore(new WorkerTable(t.vertx, t.dynamo, t.table, t.clock));
  }

  @AfterEach
  void tearDown() throws Exception {
    t.close();
  }

  private Replay stored(String id, String group) throws Exception {
    Replay r = Replay.started(id, new Replay.Target("retail", group, ReplayFrom.earliest()), PLAN, "ann",
        t.clock.instant()).steered(new Replay.Steering(new HaltRule(0.25, 10), OptionalInt.of(300)));
    return assertInstanceOf(ReplayStore.Stored.class, await(store.create(r))).replay();
  }

  private static Replay changed(ReplayStore.Ended ended) {
    return assertInstanceOf(ReplayStore.Changed.class, ended).replay();
  }

  @Test
  void aPausedReplayStaysActiveRecordsProgressAndEndsAndOfTwoChangesOneWins() throws Exception {
    Replay running = stored("00000000000000e1", "g");
    assertEquals(new Replay.Steering(new HaltRule(0.25, 10), OptionalInt.of(300)), running.steering(),
        "the steering is kept as it was chosen");
    Replay paused = changed(await(store.pause(running)));
    assertEquals(ReplayState.PAUSED, paused.state());
    assertEquals(1, paused.version());
    ReplayStore.Lost lost = assertInstanceOf(ReplayStore.Lost.class, await(store.halt(running, "too much")));
    assertEquals(ReplayState.PAUSED, lost.current().orElseThrow().state(), "a halt on a stale version loses");
    assertEquals(Optional.of(paused), await(store.active("g")), "a paused replay is still the group's active one");
    assertEquals(Map.of(0, 7L, 1, 5L), await(store.progress(paused, 0, 7)).orElseThrow().progress(),
        "what was handled before the pause is committed after it");
    Replay cancelled = changed(await(store.end(paused, ReplayState.CANCELLED)));
    assertEquals(ReplayState.CANCELLED, cancelled.state());
    assertEquals(Optional.empty(), await(store.active("g")), "cancelled from PAUSED, the group is free");
  }

  @Test
  void reportsAddUpPerInstanceAndAResumeSetsTheBaselineTheHaltRuleJudgesFrom() throws Exception {
    Replay running = stored("00000000000000e2", "g2");
    Instant at = Instant.parse("2025-03-01T10:00:00Z");
    await(store.report(running, "a", new Replay.Tally(8, 2), Map.of(0, at)));
    Replay both = await(store.report(running, "b", new Replay.Tally(6, 3), Map.of(1, at.plusSeconds(5))))
        .orElseThrow();
    Replay again = await(store.report(both, "a", new Replay.Tally(9, 3), Map.of())).orElseThrow();
    assertEquals(new Replay.Tally(15, 6), again.watch().total(), "each instance's latest tally, added up");
    assertEquals(Map.of(0, at, 1, at.plusSeconds(5)), again.watch().timeReached());
    assertEquals(running.version(), again.version(), "a report is not a state change");
    assertTrue(again.mustHalt(), "6 of 15 diverted is more than a quarter");

    Replay halted = changed(await(store.halt(again, "6 of 15")));
    assertEquals(ReplayState.HALTED, halted.state());
    assertEquals(Optional.of("6 of 15"), halted.watch().haltReason());
    Replay resumed = changed(await(store.resume(halted)));
    assertEquals(ReplayState.RUNNING, resumed.state());
    assertEquals(Optional.empty(), resumed.watch().haltReason());
    assertEquals(new Replay.Tally(15, 6), resumed.watch().baseline());
    assertEquals(Replay.Tally.ZERO, resumed.watch().sinceResume());
    assertFalse(resumed.mustHalt(), "judged afresh from the resume on");
    assertEquals(2, resumed.version(), "a halt and a resume: two state changes");
  }
}
