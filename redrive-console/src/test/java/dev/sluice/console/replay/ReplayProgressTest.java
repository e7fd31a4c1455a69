package dev.sluice.console.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.sluice.quarantine.replay.OffsetPlan;
import dev.sluice.quarantine.replay.Replay;
import dev.sluice.quarantine.replay.ReplayFrom;
import dev.sluice.quarantine.replay.ReplayState;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplayProgressTest {
  private static final long S = 1_000_000_000L;
  /** Partition 0 holds 100 events of history (0 to 100), partition 1 holds 10 (5 to 15). */
  private static final OffsetPlan PLAN = new OffsetPlan("retail", Map.of(0, 0L, 1, 5L), Map.of(0, 100L, 1, 15L));
  private static final Replay STARTED = Replay.started("0123456789abcdef",
      new Replay.Target("retail", "catalog-v2", ReplayFrom.earliest()), PLAN, "operator",
      Instant.parse("2026-12-05T13:00:00Z"));

  private static Replay at(long reached0, long reached1, ReplayState state) {
    return new Replay(STARTED.id(), STARTED.target(), PLAN, Map.of(0, reached0, 1, reached1), state,
        STARTED.stamps(), STARTED.version());
  }

  private static JsonObject partition(JsonObject event, int p) {
    return event.getJsonArray("partitions").getJsonObject(p);
  }

  @Test
  void theFirstEventHasTheReplayWhatRemainsAndNoEtaYet() {
    JsonObject first = new ReplayProgress(STARTED, 0).event(STARTED, 0);
    assertEquals("RUNNING", first.getString("state"));
    assertEquals("catalog-v2", first.getString("group"));
    assertEquals(110, first.getLong("remaining"));
    assertEquals(0.0, first.getDouble("eventsPerSecond"));
    assertFalse(first.containsKey("etaSeconds"), "no rate, no ETA: " + first.encode());
    assertEquals(100, partition(first, 0).getLong("remaining"));
    assertEquals(10, partition(first, 1).getLong("remaining"));
    assertFalse(partition(first, 0).containsKey("etaSeconds"));
  }

  @Test
  void ratesComeFromHowReachedAdvancesBetweenReadsPerPartitionAndInTotal() {
    ReplayProgress progress = new ReplayProgress(STARTED, 0);
    JsonObject event = progress.event(at(40, 15, ReplayState.RUNNING), 2 * S);
    // Partition 0: 40 events in 2 s, 60 left; partition 1 passed its end; in total 50 events in 2 s, 60 left.
    assertEquals(20.0, partition(event, 0).getDouble("eventsPerSecond"));
    assertEquals(60, partition(event, 0).getLong("remaining"));
    assertEquals(3, partition(event, 0).getLong("etaSeconds"));
    assertEquals(0, partition(event, 1).getLong("remaining"));
    assertEquals(0, partition(event, 1).getLong("etaSeconds"), "nothing remains: due now");
    assertEquals(25.0, event.getDouble("eventsPerSecond"));
    assertEquals(60, event.getLong("remaining"));
    assertEquals(3, event.getLong("etaSeconds"));
  }

  @Test
  void aPartitionPastItsEndRemainsNothingAndAStoppedReplayHasNoEta() {
    ReplayProgress progress = new ReplayProgress(STARTED, 0);
    progress.event(at(40, 5, ReplayState.RUNNING), S);
    // Nothing moved for a while: the smoothed rate falls, and with partition 1 at a standstill it has no ETA.
    JsonObject still = progress.event(at(40, 5, ReplayState.RUNNING), 2 * S);
    assertEquals(0.0, partition(still, 1).getDouble("eventsPerSecond"));
    assertFalse(partition(still, 1).containsKey("etaSeconds"), still.encode());
    // Live events past the captured end: the partition has passed it, so nothing remains of its history.
    JsonObject done = progress.event(at(120, 20, ReplayState.DONE), 3 * S);
    assertEquals("DONE", done.getString("state"));
    assertEquals(0, partition(done, 0).getLong("remaining"));
    assertEquals(0, done.getLong("remaining"));
    assertEquals(0, done.getLong("etaSeconds"));
  }

  @Test
  void theSpeedMultipleIsEventTimeAdvancedPerWallClockSecond() {
    ReplayProgress progress = new ReplayProgress(STARTED, 0);
    Instant t0 = Instant.parse("2024-01-01T00:00:00Z");
    JsonObject before = progress.event(watched(at(10, 5, ReplayState.RUNNING), Map.of(0, t0)), S);
    assertEquals(0.0, partition(before, 0).getDouble("speedMultiple"), "one point in event time: no speed yet");
    assertEquals(t0.toString(), partition(before, 0).getString("timeReached"));
    assertFalse(partition(before, 1).containsKey("speedMultiple"), "nothing reported for partition 1");
    // Two days of event time in 2 s of wall-clock time: 86,400 times real time.
    JsonObject after = progress.event(watched(at(40, 5, ReplayState.RUNNING),
        Map.of(0, t0.plus(java.time.Duration.ofDays(2)))), 3 * S);
    assertEquals(86_400.0, partition(after, 0).getDouble("speedMultiple"));
  }

  private static Replay watched(Replay r, Map<Integer, Instant> timeReached) {
    return new Replay(r.id(), r.target(), r.plan(), r.progress(), r.state(), r.stamps(), r.version(), r.steering(),
        new Replay.Watch(Map.of(), Replay.Tally.ZERO, timeReached, java.util.Optional.empty()));
  }
}
