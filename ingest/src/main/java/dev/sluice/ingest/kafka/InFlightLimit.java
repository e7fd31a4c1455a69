package dev.sluice.ingest.kafka;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the appends waiting for Kafka, by count and by bytes. {@link #tryAcquire} never waits: over the bound it
 * says no at once, and the caller answers 503, so a Kafka slower than ingress turns into refusals instead of an
 * unbounded queue of request bodies on the heap.
 *
 * <p>Thread-safe: acquired on an event loop, released from Kafka's callback thread.
 */
final class InFlightLimit {
  private final int maxAppends;
  private final long maxBytes;
  // Both counts in one word would avoid the (harmless) moment where one is taken and the other refused; two atomics
  // with roll-back are simpler and never let either go over its bound.
  private final AtomicLong appends = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();

  InFlightLimit(int maxAppends, long maxBytes) {
    if (maxAppends < 1 || maxBytes < 1) {
      throw new IllegalArgumentException("limits must be positive: " + maxAppends + " appends, " + maxBytes + " bytes");
    }
    this.maxAppends = maxAppends;
    this.maxBytes = maxBytes;
  }

  /**
   * Takes one append of {@code size} bytes, or nothing. A single append larger than the byte bound is let through
   * when nothing else is in flight, so that the bound never refuses an event the body limit accepted.
   */
  boolean tryAcquire(long size) {
    if (appends.incrementAndGet() > maxAppends) {
      appends.decrementAndGet();
      return false;
    }
    long now = bytes.addAndGet(size);
    if (now > maxBytes && now != size) {
      bytes.addAndGet(-size);
      appends.decrementAndGet();
      return false;
    }
    return true;
  }

  /** Returns what one {@link #tryAcquire} of {@code size} took; call exactly once per successful acquire. */
  void release(long size) {
    bytes.addAndGet(-size);
    appends.decrementAndGet();
  }

  long appendsInFlight() {
    return appends.get();
  }

  long bytesInFlight() {
    return bytes.get();
  }
}
