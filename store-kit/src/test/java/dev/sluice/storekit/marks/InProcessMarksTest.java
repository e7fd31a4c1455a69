package dev.sluice.storekit.marks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The in-process marks, as the gateway (a value per mark) and the consumers (nothing but "seen") use them. */
class InProcessMarksTest {
  private static final Duration WINDOW = Duration.ofMinutes(10);
  private final AtomicReference<Instant> time = new AtomicReference<>(Instant.parse("2025-01-01T00:00:00Z"));
  private final InstantSource clock = time::get;

  private static <T> T now(Future<T> f) {
    assertTrue(f.isComplete(), "the in-process store answers at once");
    return f.result();
  }

  private void advance(Duration d) {
    time.updateAndGet(t -> t.plus(d));
  }

  private static StoreKey key(String scope, String id) {
    return StoreKey.of(scope, id);
  }

  private InProcessMarks<String> marks(int maxEntries, Duration window) {
    return new InProcessMarks<>(maxEntries, MarkWindow.of(window, clock));
  }

  @Test
  void theFirstMarkWinsAndKeepsItsValue() {
    var marks = marks(100, WINDOW);
    assertEquals(Optional.empty(), now(marks.find(key("/shop", "e-1"))));
    assertTrue(now(marks.markFirst(key("/shop", "e-1"), "first")));
    assertFalse(now(marks.markFirst(key("/shop", "e-1"), "second")));
    assertEquals(Optional.of("first"), now(marks.find(key("/shop", "e-1"))));
    assertEquals(Optional.empty(), now(marks.find(key("/other", "e-1"))), "same id, other scope");
    assertTrue(now(marks.markFirst(key("/other", "e-1"), "other")), "another scope has its own marks");
    assertEquals(Optional.empty(), now(marks.find(key("/shop", "e-2"))));
  }

  @Test
  void aMarkLastsExactlyTheWindowAndIsThenReplaced() {
    var marks = marks(100, WINDOW);
    assertTrue(now(marks.markFirst(key("g", "e-1"), "first")));
    advance(WINDOW.minusMillis(1));
    assertEquals(Optional.of("first"), now(marks.find(key("g", "e-1"))));
    assertFalse(now(marks.markFirst(key("g", "e-1"), "x")), "still inside the window; a lost mark does not extend it");

    advance(Duration.ofMillis(1));
    assertEquals(Optional.empty(), now(marks.find(key("g", "e-1"))));
    assertEquals(0, marks.size(), "an expired mark met by find() is dropped");
    assertTrue(now(marks.markFirst(key("g", "e-1"), "second")));
    assertEquals(Optional.of("second"), now(marks.find(key("g", "e-1"))));
    advance(WINDOW.minusMillis(1));
    assertFalse(now(marks.markFirst(key("g", "e-1"), "x")), "the new mark has its own full window");
  }

  @Test
  void anExpiredMarkIsReplacedByMarkFirstEvenIfNeverRead() {
    var marks = marks(100, Duration.ofSeconds(1));
    assertTrue(now(marks.markFirst(key("g", "e-1"), "first")));
    advance(Duration.ofSeconds(2));
    assertTrue(now(marks.markFirst(key("g", "e-1"), "second")));
    assertEquals(1, marks.size());
    assertEquals(Optional.of("second"), now(marks.find(key("g", "e-1"))));
  }

  @Test
  void theLeastRecentlyUsedMarkMakesRoomWhenFull() {
    var marks = marks(3, WINDOW);
    now(marks.markFirst(key("g", "a"), "a"));
    now(marks.markFirst(key("g", "b"), "b"));
    now(marks.markFirst(key("g", "c"), "c"));
    assertTrue(now(marks.find(key("g", "a"))).isPresent(), "touching a makes b the least recently used");
    now(marks.markFirst(key("g", "d"), "d"));

    assertEquals(3, marks.size());
    assertEquals(Optional.empty(), now(marks.find(key("g", "b"))), "evicted: b counts as new again");
    assertEquals(Optional.of("a"), now(marks.find(key("g", "a"))));
    assertEquals(Optional.of("c"), now(marks.find(key("g", "c"))));
    assertEquals(Optional.of("d"), now(marks.find(key("g", "d"))));
  }

  @Test
  void theMapNeverHoldsMoreThanMaxEntries() {
    var marks = marks(50, WINDOW);
    for (int i = 0; i < 10_000; i++) {
      now(marks.markFirst(key("g", "e-" + i), "v"));
      assertTrue(marks.size() <= 50);
    }
    assertTrue(now(marks.find(key("g", "e-9999"))).isPresent());
  }

  @Test
  void forgetMakesAKeyNewAgain() {
    var marks = marks(10, WINDOW);
    now(marks.markFirst(key("g", "e-1"), "first"));
    now(marks.forget(key("g", "e-1")));
    assertEquals(Optional.empty(), now(marks.find(key("g", "e-1"))));
    assertTrue(now(marks.markFirst(key("g", "e-1"), "again")));
    now(marks.forget(key("g", "never-marked")));
  }

  @Test
  void marksThatCarryNothingSayOnlySeen() {
    var seen = new InProcessMarks<Seen>(10, MarkWindow.of(WINDOW, clock));
    assertTrue(now(seen.markFirst(key("g", "e-1"), Seen.SEEN)));
    assertEquals(Optional.of(Seen.SEEN), now(seen.find(key("g", "e-1"))));
  }

  @Test
  void rejectsNonsenseBounds() {
    assertThrows(IllegalArgumentException.class, () -> marks(0, WINDOW));
    assertThrows(IllegalArgumentException.class, () -> marks(1, Duration.ZERO));
    assertThrows(IllegalArgumentException.class, () -> marks(1, Duration.ofSeconds(-1)));
  }
}
