package dev.sluice.quarantine.consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.replay.Replay;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An instance's counts of its group's replay: per replay, reported once until something new is counted. */
class ReplayWatchTest {
  private static final Instant T = Instant.parse("2025-03-01T10:00:00Z");

  @Test
  void countsWhatWasReadAndDivertedAndTheLatestTimePerPartition() {
    ReplayWatch watch = new ReplayWatch();
    watch.read("r1", false);
    watch.read("r1", true);
    watch.read("r1", true);
    watch.finished("r1", 0, T.plusSeconds(5));
    watch.finished("r1", 0, T);
    ReplayWatch.Report report = watch.unreported("r1").orElseThrow();
    assertEquals(new Replay.Tally(3, 2), report.tally());
    assertEquals(Map.of(0, T.plusSeconds(5)), report.timeReached(), "the latest record time, not the last seen");
    assertEquals(Optional.empty(), watch.unreported("r2"), "nothing counted for another replay");
  }

  @Test
  void aReportIsDueOnlyWhenSomethingWasCountedSinceTheLastOneWritten() {
    ReplayWatch watch = new ReplayWatch();
    assertEquals(Optional.empty(), watch.unreported("r1"));
    watch.read("r1", false);
    ReplayWatch.Report first = watch.unreported("r1").orElseThrow();
    watch.read("r1", true);
    watch.reported(first);
    assertTrue(watch.unreported("r1").isPresent(), "counted while the first report was being written");
    ReplayWatch.Report second = watch.unreported("r1").orElseThrow();
    watch.reported(second);
    assertEquals(Optional.empty(), watch.unreported("r1"));
  }

  @Test
  void theNextReplayOfTheGroupStartsFromZeroUnderTheSameInstanceId() {
    ReplayWatch watch = new ReplayWatch();
    watch.read("r1", true);
    String instance = watch.unreported("r1").orElseThrow().instance();
    watch.read("r2", false);
    ReplayWatch.Report next = watch.unreported("r2").orElseThrow();
    assertEquals(new Replay.Tally(1, 0), next.tally());
    assertEquals(instance, next.instance());
    ReplayWatch other = new ReplayWatch();
    other.read("r2", false);
    assertNotEquals(instance, other.unreported("r2").orElseThrow().instance(), "each instance has an id of its own");
  }
}
