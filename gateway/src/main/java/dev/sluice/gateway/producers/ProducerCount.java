package dev.sluice.gateway.producers;

import java.util.concurrent.atomic.LongAdder;

/**
 * The events one API key appended to one stream through this gateway instance, and when the last one was. Written by
 * every event loop that acknowledges an append (a {@link LongAdder}: no lock, and concurrent adds do not contend on
 * one cache line), read by the reporter.
 */
public final class ProducerCount {
  private final LongAdder events = new LongAdder();
  /**
   * Epoch millis of the latest add. Plain volatile writes: two event loops may race, and the one that writes last
   * wins by at most the time between them, which a "last seen" of seconds' resolution does not show.
   */
  private volatile long lastSeenMillis;

  ProducerCount() {}

  void add(long appended, long nowMillis) {
    // The time first: a reader that sees the events (volatile reads of the adder's cells) sees the time written before.
    lastSeenMillis = nowMillis;
    events.add(appended);
  }

  /** Events counted since this instance started. */
  public long total() {
    return events.sum();
  }

  /** Epoch millis of the latest event counted; 0 before the first. */
  public long lastSeenMillis() {
    return lastSeenMillis;
  }
}
