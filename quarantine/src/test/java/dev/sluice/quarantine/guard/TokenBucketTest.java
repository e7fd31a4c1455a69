package dev.sluice.quarantine.guard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final long MS = 1_000_000L;
  private final AtomicLong now = new AtomicLong(1_000_000 * MS);

  @Test
  void spacesTokensAtTheRateWithABurstOfOne() {
    TokenBucket bucket = new TokenBucket(10, 1, now::get);
    assertEquals(0, bucket.reserve());
    assertEquals(100 * MS, bucket.reserve());
    assertEquals(200 * MS, bucket.reserve());
  }

  @Test
  void aBurstIsFreeThenTheRateApplies() {
    TokenBucket bucket = new TokenBucket(100, 5, now::get);
    for (int i = 0; i < 5; i++) {
      assertEquals(0, bucket.reserve(), "token " + i);
    }
    assertEquals(10 * MS, bucket.reserve());
  }

  @Test
  void waitingTimeShrinksAsTheClockMoves() {
    TokenBucket bucket = new TokenBucket(10, 1, now::get);
    bucket.reserve();
    bucket.reserve();
    now.addAndGet(150 * MS);
    // Booked ahead: the third token is due at 200 ms.
    assertEquals(50 * MS, bucket.reserve());
  }

  @Test
  void idleTimeDoesNotBuildMoreThanTheBurst() {
    TokenBucket bucket = new TokenBucket(10, 2, now::get);
    now.addAndGet(60_000 * MS);
    assertEquals(0, bucket.reserve());
    assertEquals(0, bucket.reserve());
    assertEquals(100 * MS, bucket.reserve());
  }

  @Test
  void thousandTokensAtFiftyPerSecondTakeTwentySecondsOfClock() {
    TokenBucket bucket = new TokenBucket(50, 1, now::get);
    long lastWait = 0;
    for (int i = 0; i < 1000; i++) {
      lastWait = bucket.reserve();
    }
    assertEquals(999 * 20 * MS, lastWait);
  }

  @Test
  void refusesANonPositiveRateOrBurst() {
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(0, 1, now::get));
    assertThrows(IllegalArgumentException.class, () -> new TokenBucket(1, 0, now::get));
  }
}
