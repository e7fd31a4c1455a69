package dev.sluice.crypto.testing;

import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** Time for the key cache that a test moves by hand: no test waits for a TTL to pass. */
public final class HandTicker implements Ticker {
  private final AtomicLong nanos = new AtomicLong();

  public void advance(Duration d) {
    nanos.addAndGet(d.toNanos());
  }

  @Override
  public long read() {
    return nanos.get();
  }
}
