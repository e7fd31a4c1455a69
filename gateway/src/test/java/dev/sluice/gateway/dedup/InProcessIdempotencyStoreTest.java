package dev.sluice.gateway.dedup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.sluice.ingest.kafka.Appended;
import io.vertx.core.Future;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class InProcessIdempotencyStoreTest {
  private static final Appended A = new Appended("retail", 1, 10);
  private static final Appended B = new Appended("retail", 2, 20);

  private final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

  private static <T> T now(Future<T> f) {
    // The in-process store answers with completed Futures.
    assertEquals(true, f.isComplete());
    return f.result();
  }

  @Test
  void remembersBySourceAndId() {
    var store = new InProcessIdempotencyStore(10, Duration.ofMinutes(5), clock);
    assertEquals(Optional.empty(), now(store.find("/shop", "e-1")));
    now(store.remember("/shop", "e-1", A));
    assertEquals(Optional.of(A), now(store.find("/shop", "e-1")));
    assertEquals(Optional.empty(), now(store.find("/other", "e-1")), "same id, other source");
    assertEquals(Optional.empty(), now(store.find("/shop", "e-2")));
    assertEquals(Optional.empty(), now(store.find("/sho", "pe-1")), "no ambiguity between source and id");
  }

  @Test
  void theFirstRememberedResultStands() {
    var store = new InProcessIdempotencyStore(10, Duration.ofMinutes(5), clock);
    now(store.remember("/shop", "e-1", A));
    now(store.remember("/shop", "e-1", B));
    assertEquals(Optional.of(A), now(store.find("/shop", "e-1")));
  }

  @Test
  void entriesExpireAfterTheWindowAndCanThenBeReplaced() {
    var store = new InProcessIdempotencyStore(10, Duration.ofMinutes(5), clock);
    now(store.remember("/shop", "e-1", A));
    clock.advance(Duration.ofMinutes(5).minusMillis(1));
    assertEquals(Optional.of(A), now(store.find("/shop", "e-1")));
    clock.advance(Duration.ofMillis(1));
    assertEquals(Optional.empty(), now(store.find("/shop", "e-1")));
    assertEquals(0, store.size(), "an expired entry is dropped when met");
    now(store.remember("/shop", "e-1", B));
    assertEquals(Optional.of(B), now(store.find("/shop", "e-1")));
  }

  @Test
  void anExpiredEntryIsReplacedByRemember() {
    var store = new InProcessIdempotencyStore(10, Duration.ofSeconds(1), clock);
    now(store.remember("/shop", "e-1", A));
    clock.advance(Duration.ofSeconds(2));
    now(store.remember("/shop", "e-1", B));
    assertEquals(Optional.of(B), now(store.find("/shop", "e-1")));
  }

  @Test
  void holdsAtMostMaxEntriesAndEvictsTheLeastRecentlyUsed() {
    var store = new InProcessIdempotencyStore(3, Duration.ofHours(1), clock);
    now(store.remember("/s", "1", A));
    now(store.remember("/s", "2", A));
    now(store.remember("/s", "3", A));
    now(store.find("/s", "1")); // 1 is now the most recently used; 2 the least
    now(store.remember("/s", "4", A));
    assertEquals(3, store.size());
    assertEquals(Optional.empty(), now(store.find("/s", "2")));
    assertEquals(Optional.of(A), now(store.find("/s", "1")));
    assertEquals(Optional.of(A), now(store.find("/s", "3")));
    assertEquals(Optional.of(A), now(store.find("/s", "4")));

    for (int i = 0; i < 10_000; i++) {
      now(store.remember("/s", "x-" + i, B));
    }
    assertEquals(3, store.size());
  }

  @Test
  void refusesNonsenseSettings() {
    assertThrows(IllegalArgumentException.class, () -> new InProcessIdempotencyStore(0, Duration.ofSeconds(1), clock));
    assertThrows(IllegalArgumentException.class, () -> new InProcessIdempotencyStore(1, Duration.ZERO, clock));
  }
}
