package dev.sluice.quarantine.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class InProcessProcessedEventsTest {
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private final HandClock clock = new HandClock(Instant.parse("2025-01-01T00:00:00Z"));

  private static <T> T now(Future<T> f) {
    assertTrue(f.isComplete(), "the in-process store answers at once");
    return f.result();
  }

  @Test
  void theFirstMarkWinsAndLaterOnesSeeIt() {
    var store = new InProcessProcessedEvents(100, WINDOW, clock);
    assertFalse(now(store.seen("g", "e-1")));
    assertTrue(now(store.firstTime("g", "e-1")));
    assertFalse(now(store.firstTime("g", "e-1")));
    assertTrue(now(store.seen("g", "e-1")));
    assertTrue(now(store.firstTime("other-group", "e-1")), "another scope applies the event on its own");
    assertTrue(now(store.firstTime("g", "e-2")));
  }

  @Test
  void aMarkLastsExactlyTheWindowAndIsThenReplaced() {
    var store = new InProcessProcessedEvents(100, WINDOW, clock);
    assertTrue(now(store.firstTime("g", "e-1")));
    clock.advance(WINDOW.minusMillis(1));
    assertTrue(now(store.seen("g", "e-1")));
    assertFalse(now(store.firstTime("g", "e-1")), "still inside the window; and a failed mark does not extend it");

    clock.advance(Duration.ofMillis(1));
    assertFalse(now(store.seen("g", "e-1")));
    assertEquals(0, store.size(), "an expired mark met by seen() is dropped");
    assertTrue(now(store.firstTime("g", "e-1")));
    clock.advance(WINDOW.minusMillis(1));
    assertFalse(now(store.firstTime("g", "e-1")), "the new mark has its own full window");
  }

  @Test
  void anExpiredMarkIsReplacedByFirstTimeEvenIfNeverRead() {
    var store = new InProcessProcessedEvents(100, WINDOW, clock);
    assertTrue(now(store.firstTime("g", "e-1")));
    clock.advance(WINDOW.plusSeconds(1));
    assertTrue(now(store.firstTime("g", "e-1")));
    assertEquals(1, store.size());
  }

  @Test
  void theLeastRecentlyUsedMarkMakesRoomWhenFull() {
    var store = new InProcessProcessedEvents(3, WINDOW, clock);
    now(store.firstTime("g", "a"));
    now(store.firstTime("g", "b"));
    now(store.firstTime("g", "c"));
    assertTrue(now(store.seen("g", "a")), "touching a makes b the least recently used");
    now(store.firstTime("g", "d"));

    assertEquals(3, store.size());
    assertFalse(now(store.seen("g", "b")), "evicted: a redelivery of b would be applied again");
    assertTrue(now(store.seen("g", "a")));
    assertTrue(now(store.seen("g", "c")));
    assertTrue(now(store.seen("g", "d")));
  }

  @Test
  void theMapNeverHoldsMoreThanMaxEntries() {
    var store = new InProcessProcessedEvents(50, WINDOW, clock);
    for (int i = 0; i < 10_000; i++) {
      now(store.firstTime("g", "e-" + i));
      assertTrue(store.size() <= 50);
    }
    assertTrue(now(store.seen("g", "e-9999")));
  }

  @Test
  void forgetMakesAnEventNewAgain() {
    var store = new InProcessProcessedEvents(10, WINDOW, clock);
    now(store.firstTime("g", "e-1"));
    now(store.forget("g", "e-1"));
    assertFalse(now(store.seen("g", "e-1")));
    assertTrue(now(store.firstTime("g", "e-1")));
    now(store.forget("g", "never-marked"));
  }

  @Test
  void rejectsNonsenseBounds() {
    assertThrows(IllegalArgumentException.class, () -> new InProcessProcessedEvents(0, WINDOW, clock));
    assertThrows(IllegalArgumentException.class, () -> new InProcessProcessedEvents(1, Duration.ZERO, clock));
  }
}
