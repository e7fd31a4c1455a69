package dev.sluice.quarantine.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.sluice.quarantine.replay.LogSnapshot.PartitionLog;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** Planning a replay from what the log holds: start offsets, the captured ends, and a time before retention. */
class LogSnapshotTest {
  private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

  /** Partition 0 lost offsets 0..4 to retention; partition 1 holds 0..2; partition 2 is empty. */
  private static LogSnapshot log(OptionalLong at0, OptionalLong at1) {
    return new LogSnapshot("retail", Map.of(
        0, new PartitionLog(5, 12, OptionalLong.of(T0.plusSeconds(50).toEpochMilli()), at0),
        1, new PartitionLog(0, 3, OptionalLong.of(T0.toEpochMilli()), at1),
        2, new PartitionLog(7, 7, OptionalLong.empty(), OptionalLong.empty())));
  }

  private static OffsetPlan ready(LogSnapshot.Planned planned) {
    return planned.ready().orElseThrow();
  }

  @Test
  void earliestStartsAtEachPartitionsFirstEventAndEndsAtItsEndNow() {
    OffsetPlan plan = ready(log(OptionalLong.empty(), OptionalLong.empty()).plan(ReplayFrom.earliest()));
    assertEquals("retail", plan.topic());
    assertEquals(Map.of(0, 5L, 1, 0L, 2, 7L), plan.start());
    assertEquals(Map.of(0, 12L, 1, 3L, 2, 7L), plan.end());
  }

  @Test
  void anInstantStartsAtTheFirstEventAtOrAfterItAndAPartitionWithNoneStartsAtItsEnd() {
    OffsetPlan plan = ready(log(OptionalLong.of(8), OptionalLong.empty()).plan(ReplayFrom.at(T0.plusSeconds(60))));
    assertEquals(Map.of(0, 8L, 1, 3L, 2, 7L), plan.start());
    assertEquals(Map.of(0, 12L, 1, 3L, 2, 7L), plan.end());
  }

  @Test
  void anInstantBeforeTheEarliestEventStillHeldIsRefusedNamingThatEventsTime() {
    LogSnapshot log = log(OptionalLong.of(5), OptionalLong.of(0));
    assertEquals(Optional.of(T0), log.earliestEvent(), "the smallest time of a partition's first event");
    assertEquals(new LogSnapshot.BeforeRetention(T0), log.plan(ReplayFrom.at(T0.minusMillis(1))));
    assertEquals(Map.of(0, 5L, 1, 0L, 2, 7L), ready(log.plan(ReplayFrom.at(T0))).start(), "the earliest time itself");
  }

  @Test
  void anEmptyTopicHasNoEarliestEventSoAnyInstantPlansNothingToReplay() {
    LogSnapshot empty = new LogSnapshot("t", Map.of(0, new PartitionLog(0, 0, OptionalLong.empty(),
        OptionalLong.empty())));
    assertEquals(Optional.empty(), empty.earliestEvent());
    OffsetPlan plan = ready(empty.plan(ReplayFrom.at(T0)));
    assertEquals(Map.of(0, 0L), plan.start());
    assertEquals(Map.of(0, 0L), plan.end());
  }

  @Test
  void aRewindByOffsetsReadsTheNamedPartitionsFromTheirOffsetsToTheirEndsWithinWhatTheyHold() {
    LogSnapshot log = log(OptionalLong.empty(), OptionalLong.empty());
    OffsetPlan plan = ready(log.plan(Map.of(0, 5L, 1, 3L)));
    assertEquals(Map.of(0, 5L, 1, 3L), plan.start(), "the first event held, and the end itself (nothing to replay)");
    assertEquals(Map.of(0, 12L, 1, 3L), plan.end(), "partitions not named are not part of it");
    assertEquals(new LogSnapshot.OutOfRange(0, 4, 5, 12), log.plan(Map.of(0, 4L, 1, 1L)), "deleted by retention");
    assertEquals(new LogSnapshot.OutOfRange(1, 4, 0, 3), log.plan(Map.of(0, 6L, 1, 4L)), "past the end");
    assertEquals(new LogSnapshot.UnknownPartition(3), log.plan(Map.of(3, 0L, 9, 0L)), "the first in order");
  }
}
