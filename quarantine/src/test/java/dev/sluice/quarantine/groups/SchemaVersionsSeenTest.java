package dev.sluice.quarantine.groups;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.sluice.quarantine.testing.HandClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.SplittableRandom;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SchemaVersionsSeenTest {
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private final HandClock clock = new HandClock(Instant.parse("2025-01-01T00:00:00Z"));

  private static SortedSet<Integer> versions(Integer... v) {
    return new TreeSet<>(List.of(v));
  }

  @Test
  void reportsEachTypesVersionsInOrder() {
    var seen = new SchemaVersionsSeen(WINDOW, 10, 10, clock);
    seen.record("retail.product.created", 2);
    seen.record("retail.product.created", 1);
    seen.record("retail.product.created", 2);
    seen.record("retail.product.photographed", 1);
    assertEquals(Map.of("retail.product.created", versions(1, 2), "retail.product.photographed", versions(1)),
        seen.snapshot());
  }

  @Test
  void versionsNotSeenWithinTheWindowDropOut() {
    var seen = new SchemaVersionsSeen(WINDOW, 10, 10, clock);
    seen.record("t", 1);
    seen.record("u", 1);
    clock.advance(Duration.ofMinutes(6));
    seen.record("t", 2);
    seen.record("u", 1); // seen again: its window starts over
    clock.advance(Duration.ofMinutes(4).minusMillis(1));
    assertEquals(Map.of("t", versions(1, 2), "u", versions(1)), seen.snapshot());

    clock.advance(Duration.ofMillis(1));
    assertEquals(Map.of("t", versions(2), "u", versions(1)), seen.snapshot());
    seen.record("u", 1);
    clock.advance(Duration.ofMinutes(6));
    assertEquals(Map.of("u", versions(1)), seen.snapshot());
    assertEquals(1, seen.types(), "expired types are pruned, not just hidden");
    clock.advance(Duration.ofMinutes(4));
    assertEquals(Map.of(), seen.snapshot());
    assertEquals(0, seen.types());
  }

  @Test
  void aTypeKeepsAtMostMaxVersionsDroppingTheLeastRecentlySeen() {
    var seen = new SchemaVersionsSeen(WINDOW, 10, 3, clock);
    for (int v = 1; v <= 3; v++) {
      seen.record("t", v);
      clock.advance(Duration.ofSeconds(1));
    }
    seen.record("t", 1); // now 2 is the stalest
    clock.advance(Duration.ofSeconds(1));
    seen.record("t", 4);
    assertEquals(Map.of("t", versions(1, 3, 4)), seen.snapshot());
  }

  @Test
  void atMostMaxTypesAreKeptExpiredOnesGoFirstThenTheStalest() {
    var seen = new SchemaVersionsSeen(WINDOW, 2, 5, clock);
    seen.record("old", 1);
    clock.advance(Duration.ofMinutes(11));
    seen.record("a", 1);
    clock.advance(Duration.ofSeconds(1));
    seen.record("b", 1); // "old" has expired and makes room
    assertEquals(Set.of("a", "b"), seen.snapshot().keySet());

    clock.advance(Duration.ofSeconds(1));
    seen.record("a", 2); // a is now fresher than b
    clock.advance(Duration.ofSeconds(1));
    seen.record("c", 1); // full of live types: the stalest (b) makes room
    assertEquals(Set.of("a", "c"), seen.snapshot().keySet());
    assertEquals(2, seen.types());
  }

  @Test
  void boundsHoldUnderConcurrentRecordingOfAnUnboundedInput() throws Exception {
    var seen = new SchemaVersionsSeen(WINDOW, 8, 4, clock);
    int threads = 4;
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      SplittableRandom random = new SplittableRandom(t);
      Thread worker = new Thread(() -> {
        try {
          go.await();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
        for (int i = 0; i < 50_000; i++) {
          seen.record("type-" + random.nextInt(40), random.nextInt(30));
          seen.record("hot", 1);
        }
      });
      worker.start();
      workers.add(worker);
    }
    go.countDown();
    for (Thread worker : workers) {
      worker.join(TimeUnit.SECONDS.toMillis(30));
    }
    var snapshot = seen.snapshot();
    assertTrue(seen.types() <= 8, "types held: " + seen.types());
    assertTrue(snapshot.size() <= 8);
    snapshot.values().forEach(v -> assertTrue(v.size() <= 4, "versions of a type: " + v));
  }

  @Test
  void rejectsBoundsTheHeartbeatCouldNotCarry() {
    assertThrows(IllegalArgumentException.class, () -> new SchemaVersionsSeen(WINDOW, 0, 1, clock));
    assertThrows(IllegalArgumentException.class, () -> new SchemaVersionsSeen(WINDOW, 1, 0, clock));
    assertThrows(IllegalArgumentException.class,
        () -> new SchemaVersionsSeen(WINDOW, GroupHeartbeat.MAX_TYPES + 1, 1, clock));
    assertThrows(IllegalArgumentException.class,
        () -> new SchemaVersionsSeen(WINDOW, 1, GroupHeartbeat.MAX_VERSIONS_PER_TYPE + 1, clock));
    assertThrows(IllegalArgumentException.class, () -> new SchemaVersionsSeen(Duration.ZERO, 1, 1, clock));
  }
}
