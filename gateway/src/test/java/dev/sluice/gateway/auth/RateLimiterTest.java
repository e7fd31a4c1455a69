package dev.sluice.gateway.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private final AtomicLong nanos = new AtomicLong(123_456_789L);
  private final RateLimiter limiter = new RateLimiter(nanos::get);

  private static ApiKey key(String name, double rate, int burst) {
    return new ApiKey(name, ApiKeys.sha256Hex(name), Set.of("*"), false, rate, burst);
  }

  private void advance(long millis) {
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
  }

  @Test
  void aFullBucketAllowsTheBurstThenLimits() {
    ApiKey k = key("k", 2, 3);
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(RateLimiter.Allowed.class, limiter.acquire(k), "request " + i);
    }
    RateLimiter.Limited limited = assertInstanceOf(RateLimiter.Limited.class, limiter.acquire(k));
    assertEquals(1, limited.retryAfterSeconds(), "a token is due in 0.5 s: rounded up to 1 s");
  }

  @Test
  void tokensRefillAtTheRateUpToTheBurst() {
    ApiKey k = key("k", 2, 3);
    for (int i = 0; i < 3; i++) {
      limiter.acquire(k);
    }
    advance(499);
    assertInstanceOf(RateLimiter.Limited.class, limiter.acquire(k));
    advance(1);
    assertInstanceOf(RateLimiter.Allowed.class, limiter.acquire(k), "one token after 0.5 s at 2/s");
    assertInstanceOf(RateLimiter.Limited.class, limiter.acquire(k));

    advance(60_000); // a long pause refills to the burst, not beyond
    for (int i = 0; i < 3; i++) {
      assertInstanceOf(RateLimiter.Allowed.class, limiter.acquire(k), "request " + i);
    }
    assertInstanceOf(RateLimiter.Limited.class, limiter.acquire(k));
  }

  @Test
  void retryAfterIsWholeSecondsRoundedUp() {
    ApiKey slow = key("slow", 0.1, 1); // one request per 10 s
    assertInstanceOf(RateLimiter.Allowed.class, limiter.acquire(slow));
    assertEquals(10, assertInstanceOf(RateLimiter.Limited.class, limiter.acquire(slow)).retryAfterSeconds());
    advance(2_500);
    assertEquals(8, assertInstanceOf(RateLimiter.Limited.class, limiter.acquire(slow)).retryAfterSeconds());
    advance(7_499);
    assertEquals(1, assertInstanceOf(RateLimiter.Limited.class, limiter.acquire(slow)).retryAfterSeconds());
    advance(1);
    assertInstanceOf(RateLimiter.Allowed.class, limiter.acquire(slow));
  }

  @Test
  void eachKeyHasItsOwnBucket() {
    ApiKey a = key("a", 1, 1);
    ApiKey b = key("b", 1, 1);
    assertInstanceOf(RateLimiter.Allowed.class, limiter.acquire(a));
    assertInstanceOf(RateLimiter.Limited.class, limiter.acquire(a));
    assertInstanceOf(RateLimiter.Allowed.class, limiter.acquire(b));
  }

  @Test
  void concurrentTakersNeverGetMoreThanTheBurst() throws Exception {
    ApiKey k = key("k", 1, 1_000);
    AtomicLong allowed = new AtomicLong();
    Thread[] threads = new Thread[4];
    for (int t = 0; t < threads.length; t++) {
      threads[t] = new Thread(() -> {
        for (int i = 0; i < 1_000; i++) {
          if (limiter.acquire(k) instanceof RateLimiter.Allowed) {
            allowed.incrementAndGet();
          }
        }
      });
      threads[t].start();
    }
    for (Thread t : threads) {
      t.join(30_000);
    }
    assertEquals(1_000, allowed.get(), "the clock does not move: exactly the burst is allowed");
  }
}
