package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The replay flag, progress and the end of a replay, decided from the plan alone. */
class ReplayTest {
  private static final Instant NOW = Instant.parse("2025-03-01T10:00:00Z");
  private static final OffsetPlan PLAN = new OffsetPlan("retail", Map.of(0, 2L, 1, 0L, 2, 4L),
      Map.of(0, 10L, 1, 5L, 2, 4L));

  private static Replay replay(Map<Integer, Long> progress, ReplayState state) {
    Replay started = Replay.started("0123456789abcdef", new Replay.Target("retail", "billing-v2",
        ReplayFrom.earliest()), PLAN, "dev-operator", NOW);
    return new Replay(started.id(), started.target(), started.plan(), progress, state, started.stamps(), 0);
  }

  @Test
  void anEventIsFlaggedWhileTheReplayRunsAndItsOffsetIsBelowItsPartitionsCapturedEnd() {
    Replay running = Replay.started("0123456789abcdef", new Replay.Target("retail", "billing-v2",
        ReplayFrom.earliest()), PLAN, "dev-operator", NOW);
    assertTrue(running.flags("retail", 0, 9));
    assertFalse(running.flags("retail", 0, 10), "the end is the first live offset");
    assertTrue(running.flags("retail", 1, 0));
    assertFalse(running.flags("retail", 2, 4), "a partition with nothing to replay is live");
    assertFalse(running.flags("retail", 7, 0), "a partition the plan does not know is live");
    assertFalse(running.flags("orders", 0, 1), "another topic is live");
    for (ReplayState ended : new ReplayState[] {ReplayState.DONE, ReplayState.CANCELLED}) {
      assertFalse(replay(Map.of(), ended).flags("retail", 0, 3), ended + ": nothing is flagged any more");
    }
  }

  @Test
  void aReplayStartsAtItsStartOffsetsAndIsDoneWhenEveryPartitionPassedItsEnd() {
    Replay started = Replay.started("0123456789abcdef", new Replay.Target("retail", "g", ReplayFrom.earliest()),
        PLAN, "dev-operator", NOW);
    assertEquals(ReplayState.RUNNING, started.state());
    assertEquals(2, started.reached(0));
    assertFalse(started.passed(0));
    assertTrue(started.passed(2), "nothing to replay there: passed from the start");
    assertFalse(started.allPassed());
    assertFalse(replay(Map.of(0, 10L, 1, 4L, 2, 4L), ReplayState.RUNNING).allPassed());
    assertTrue(replay(Map.of(0, 10L, 1, 5L, 2, 4L), ReplayState.RUNNING).allPassed());
    assertTrue(replay(Map.of(0, 11L, 1, 9L), ReplayState.RUNNING).allPassed(), "partition 2 at its start, the end");
  }

  @Test
  void fromIsEarliestOrAnInstantWithItsOffset() {
    assertEquals(Optional.of(ReplayFrom.earliest()), ReplayFrom.parse("earliest"));
    assertEquals(Optional.of(ReplayFrom.at(NOW)), ReplayFrom.parse("2025-03-01T11:00:00+01:00"));
    assertEquals("2025-03-01T10:00:00Z", ReplayFrom.parse("2025-03-01T10:00:00Z").orElseThrow().text());
    assertEquals(Optional.empty(), ReplayFrom.parse("yesterday"));
    assertEquals(Optional.empty(), ReplayFrom.parse("2025-03-01T10:00:00"), "a time without its offset is ambiguous");
    assertEquals(Optional.empty(), ReplayFrom.parse(null));
  }

  @Test
  void aPlanNamesTheSamePartitionsAtBothEnds() {
    assertThrows(IllegalArgumentException.class, () -> new OffsetPlan("t", Map.of(0, 1L), Map.of(1, 2L)));
  }

  private static Replay watched(ReplayState state, Map<String, Replay.Tally> tallies, Replay.Tally baseline) {
    Replay r = replay(Map.of(), state).steered(new Replay.Steering(new dev.sluice.quarantine.guard.HaltRule(0.5, 100),
        java.util.OptionalInt.empty()));
    return new Replay(r.id(), r.target(), r.plan(), r.progress(), r.state(), r.stamps(), r.version(), r.steering(),
        new Replay.Watch(tallies, baseline, Map.of(), Optional.empty()));
  }

  @Test
  void aPausedOrHaltedReplayHoldsHistoryStillFlaggedAndLetsLiveEventsThrough() {
    for (ReplayState held : new ReplayState[] {ReplayState.PAUSED, ReplayState.HALTED}) {
      Replay r = replay(Map.of(), held);
      assertTrue(r.holds("retail", 0, 9), held + ": history is held");
      assertTrue(r.flags("retail", 0, 9), held + ": and still flagged when it is delivered (a retry, say)");
      assertFalse(r.holds("retail", 0, 10), held + ": the captured end is live, never held");
      assertFalse(r.holds("retail", 2, 4), held + ": a partition past its end is live");
      assertFalse(r.holds("orders", 0, 1));
      assertFalse(held.isFinal());
    }
    assertFalse(replay(Map.of(), ReplayState.RUNNING).holds("retail", 0, 9), "a running replay holds nothing");
    assertFalse(replay(Map.of(), ReplayState.CANCELLED).holds("retail", 0, 9));
  }

  @Test
  void aReplayHaltsOnTheGroupsTotalsOnceEnoughWasReadAndOnlyWhileItRuns() {
    Map<String, Replay.Tally> poisoned = Map.of("a", new Replay.Tally(60, 40), "b", new Replay.Tally(40, 20));
    assertTrue(watched(ReplayState.RUNNING, poisoned, Replay.Tally.ZERO).mustHalt(),
        "60 of 100 read across two instances diverted: more than half");
    assertFalse(watched(ReplayState.RUNNING, Map.of("a", new Replay.Tally(60, 40)), Replay.Tally.ZERO).mustHalt(),
        "60 read: too few to judge");
    assertFalse(watched(ReplayState.RUNNING, Map.of("a", new Replay.Tally(100, 50)), Replay.Tally.ZERO).mustHalt(),
        "exactly the share does not halt");
    assertFalse(watched(ReplayState.PAUSED, poisoned, Replay.Tally.ZERO).mustHalt(), "only a running replay halts");
    assertFalse(watched(ReplayState.RUNNING, poisoned, new Replay.Tally(100, 60)).mustHalt(),
        "after a resume only what is read from then on counts");
    Replay.Tally resumedAt = new Replay.Tally(100, 60);
    assertFalse(watched(ReplayState.RUNNING, Map.of("a", new Replay.Tally(160, 50), "b", new Replay.Tally(140, 110)),
        resumedAt).mustHalt(), "100 of the 200 read since the resume diverted: not more than half");
    assertTrue(watched(ReplayState.RUNNING, Map.of("a", new Replay.Tally(160, 50), "b", new Replay.Tally(140, 111)),
        resumedAt).mustHalt(), "101 of the 200 read since the resume diverted");
  }

  @Test
  void aRateCapIsBounded() {
    assertThrows(IllegalArgumentException.class, () -> new Replay.Steering(Replay.Steering.DEFAULT.halt(),
        java.util.OptionalInt.of(0)));
    assertThrows(IllegalArgumentException.class, () -> new Replay.Steering(Replay.Steering.DEFAULT.halt(),
        java.util.OptionalInt.of(1_000_001)));
  }

  @Test
  void aRewindIsDueOnEachPartitionWithHistoryUntilRewoundAndOnlyThenCanItPassItsEnd() {
    Replay rewind = Replay.rewindStarted("0123456789abcdef", new Replay.Target("retail", "billing",
        ReplayFrom.earliest()), PLAN, true, "dev-operator", NOW);
    assertEquals(Rewind.requested(true), rewind.rewind());
    assertTrue(rewind.rewindDue(0));
    assertFalse(rewind.rewindDue(2), "nothing to replay there: nothing to rewind");
    assertFalse(rewind.rewindDue(7), "not a partition of the rewind");
    Replay committedPast = new Replay(rewind.id(), rewind.target(), PLAN, Map.of(0, 10L, 1, 5L), ReplayState.RUNNING,
        rewind.stamps(), 0, rewind.rewind());
    assertFalse(committedPast.passed(0), "the group's offsets are where the first pass left them until rewound");
    assertFalse(committedPast.allPassed());
    Replay rewound = new Replay(rewind.id(), rewind.target(), PLAN, Map.of(0, 10L, 1, 5L), ReplayState.RUNNING,
        rewind.stamps(), 0, new Rewind(true, true, Map.of(0, 2L, 1, 0L), Map.of(0, 2L, 1, 0L)));
    assertFalse(rewound.rewindDue(0));
    assertTrue(rewound.allPassed());
    Replay cancelled = new Replay(rewind.id(), rewind.target(), PLAN, Map.of(), ReplayState.CANCELLED,
        rewind.stamps(), 1, rewind.rewind());
    assertFalse(cancelled.rewindDue(0), "an ended rewind moves nothing");
    assertFalse(Replay.started("0123456789abcdef", rewind.target(), PLAN, "dev-operator", NOW).rewindDue(0),
        "a cold start is no rewind");
  }
}
