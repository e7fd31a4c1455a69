package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which records of history a slice holds, and which a running replay skips. */
class SliceTest {
  private static final Instant TO = Instant.parse("2025-03-01T10:00:00Z");
  private static final Optional<String> CREATED = Optional.of("retail.product.created");
  private static final Optional<String> P1 = Optional.of("p-1");

  @Test
  void allHoldsEveryRecordEvenOneWithoutKeyOrReadableType() {
    assertTrue(Slice.ALL.isAll());
    assertTrue(Slice.ALL.holds(TO.plusSeconds(3600), Optional.empty(), Optional.empty()));
  }

  @Test
  void toIsExclusive() {
    Slice slice = new Slice(Optional.of(TO), Set.of(), Set.of());
    assertFalse(slice.isAll());
    assertTrue(slice.holds(TO.minusMillis(1), P1, CREATED));
    assertFalse(slice.holds(TO, P1, CREATED), "an event written at to is after the slice");
    assertTrue(slice.holds(TO.minusMillis(1), Optional.empty(), Optional.empty()),
        "poison before to is in a slice by time alone: it is quarantined, not dropped unseen");
  }

  @Test
  void typesAndKeysEachNarrowWhenListed() {
    Slice slice = new Slice(Optional.empty(), Set.of("retail.product.created"), Set.of("p-1", "p-2"));
    assertTrue(slice.holds(TO, P1, CREATED));
    assertFalse(slice.holds(TO, P1, Optional.of("retail.product.photographed")), "another type");
    assertFalse(slice.holds(TO, Optional.of("p-3"), CREATED), "another key");
    assertFalse(slice.holds(TO, P1, Optional.empty()), "a record of no readable type is of no listed type");
    assertFalse(slice.holds(TO, Optional.empty(), CREATED), "a record without a key has no listed key");
    Slice byKey = new Slice(Optional.empty(), Set.of(), Set.of("p-1"));
    assertTrue(byKey.holds(TO, P1, Optional.empty()), "poison of a listed key is in a slice by key");
  }

  @Test
  void timeAndKeyDecideBeforeTheTypeIsKnown() {
    Slice slice = new Slice(Optional.of(TO), Set.of("retail.product.created"), Set.of("p-1"));
    assertTrue(slice.holdsTimeAndKey(TO.minusMillis(1), P1), "may be in it: its type decides");
    assertFalse(slice.holdsTimeAndKey(TO, P1));
    assertFalse(slice.holdsTimeAndKey(TO.minusMillis(1), Optional.of("p-2")));
  }

  @Test
  void aRunningReplaySkipsHistoryOutsideItsSliceButNeverALiveEvent() {
    OffsetPlan plan = new OffsetPlan("retail", Map.of(0, 0L), Map.of(0, 10L));
    Replay replay = Replay.started("0123456789abcdef", new Replay.Target("retail", "billing-v2",
        ReplayFrom.earliest(), new Slice(Optional.of(TO), Set.of(), Set.of("p-1"))), plan, "dev-operator", TO);
    assertFalse(replay.skips("retail", 0, 3, TO.minusSeconds(1), P1, CREATED), "in the slice: handled");
    assertTrue(replay.skips("retail", 0, 3, TO, P1, CREATED), "after to");
    assertTrue(replay.skips("retail", 0, 3, TO.minusSeconds(1), Optional.of("p-2"), CREATED), "another key");
    assertFalse(replay.skips("retail", 0, 10, TO, Optional.of("p-2"), CREATED), "at the captured end: live");
    assertFalse(replay.skips("other", 0, 3, TO, Optional.of("p-2"), CREATED), "another topic");
    assertTrue(replay.skipsAnyType("retail", 0, 3, TO, P1), "after to, whatever its type");
    assertFalse(replay.skipsAnyType("retail", 0, 3, TO.minusSeconds(1), P1));
    assertFalse(replay.skipsAnyType("retail", 0, 10, TO, P1), "live");
    Replay cancelled = new Replay(replay.id(), replay.target(), plan, replay.progress(), ReplayState.CANCELLED,
        replay.stamps(), 1);
    assertFalse(cancelled.skips("retail", 0, 3, TO, Optional.of("p-2"), CREATED), "once the replay is over");
  }

  @Test
  void aRewindsSlicePassesOverOnlyWhatTheGroupHadHandledAndNothingBeforeThePartitionIsRewound() {
    // Start 4, end 20 on both partitions. Partition 0's group was ahead (its work unfinished from 15); partition 1's
    // lagged behind the start (unfinished from 2, so rewound to 2).
    OffsetPlan plan = new OffsetPlan("retail", Map.of(0, 4L, 1, 4L), Map.of(0, 20L, 1, 20L));
    Replay started = Replay.rewindStarted("0123456789abcdef", new Replay.Target("retail", "billing",
        ReplayFrom.earliest(), new Slice(Optional.empty(), Set.of(), Set.of("p-1"))), plan, true, "dev-operator", TO);
    Optional<String> p2 = Optional.of("p-2");
    assertFalse(started.skips("retail", 0, 5, TO, p2, CREATED), "not rewound yet: nothing is passed over");
    assertFalse(started.flags("retail", 0, 5), "nor flagged: the partition is where the first pass left it");
    Replay rewound = new Replay(started.id(), started.target(), plan, Map.of(), ReplayState.RUNNING,
        started.stamps(), 0, new Rewind(true, true, Map.of(0, 4L, 1, 2L), Map.of(0, 15L, 1, 2L)));
    assertTrue(rewound.skips("retail", 0, 4, TO, p2, CREATED), "handled before, outside the slice");
    assertTrue(rewound.skipsAnyType("retail", 0, 14, TO, p2));
    assertFalse(rewound.skips("retail", 0, 14, TO, P1, CREATED), "handled before, in the slice: again");
    assertFalse(rewound.skips("retail", 0, 15, TO, p2, CREATED), "never handled: handled now, whatever the slice");
    assertFalse(rewound.skipsAnyType("retail", 0, 19, TO, p2));
    assertTrue(rewound.flags("retail", 0, 19), "flagged below the end");
    for (long offset = 2; offset < 20; offset++) {
      assertFalse(rewound.skips("retail", 1, offset, TO, p2, CREATED), "a lagging group skips none: " + offset);
    }
    Replay unrecorded = new Replay(started.id(), started.target(), plan, Map.of(), ReplayState.RUNNING,
        started.stamps(), 0, new Rewind(true, true, Map.of(0, 4L), Map.of()));
    assertFalse(unrecorded.skips("retail", 0, 4, TO, p2, CREATED), "where unfinished work began unknown: none");
  }
}
