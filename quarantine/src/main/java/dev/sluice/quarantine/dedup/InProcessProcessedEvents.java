package dev.sluice.quarantine.dedup;

import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Marks in this process's heap: an LRU map of at most {@code maxEntries} keys (a 64-character hash and an expiry,
 * roughly 150 bytes each), each valid for {@code window}. Expired marks are dropped when met; when the map is full the
 * least recently used mark goes, so size it to at least (events per second x window) or an evicted event could be
 * applied again. Thread-safe (one lock, O(1) work under it); answers are already-completed Futures.
 *
 * <p>For one consumer process: marks are lost on restart and not shared with other instances of the group, which is
 * exactly when redeliveries happen after a crash or rebalance. Use {@link DynamoProcessedEvents} when that matters.
 */
public final class InProcessProcessedEvents implements ProcessedEvents {
  private final int maxEntries;
  private final Duration window;
  private final Clock clock;
  private final LinkedHashMap<String, Instant> expiries;

  public InProcessProcessedEvents(int maxEntries, Duration window, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the dedup window must be positive, was " + window);
    }
    this.maxEntries = maxEntries;
    this.window = window;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.expiries = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Instant> eldest) {
        return size() > InProcessProcessedEvents.this.maxEntries;
      }
    };
  }

  @Override
  public Future<Boolean> firstTime(String scope, String eventId) {
    String key = EventKey.storeKey(scope, eventId);
    Instant now = clock.instant();
    synchronized (expiries) {
      Instant expiresAt = expiries.get(key);
      if (expiresAt != null && now.isBefore(expiresAt)) {
        return Future.succeededFuture(false);
      }
      expiries.put(key, now.plus(window));
      return Future.succeededFuture(true);
    }
  }

  @Override
  public Future<Boolean> seen(String scope, String eventId) {
    String key = EventKey.storeKey(scope, eventId);
    Instant now = clock.instant();
    synchronized (expiries) {
      Instant expiresAt = expiries.get(key);
      if (expiresAt == null) {
        return Future.succeededFuture(false);
      }
      if (!now.isBefore(expiresAt)) {
        expiries.remove(key);
        return Future.succeededFuture(false);
      }
      return Future.succeededFuture(true);
    }
  }

  @Override
  public Future<Void> forget(String scope, String eventId) {
    String key = EventKey.storeKey(scope, eventId);
    synchronized (expiries) {
      expiries.remove(key);
    }
    return Future.succeededFuture();
  }

  /** Marks held now, expired ones not yet met included. */
  public int size() {
    synchronized (expiries) {
      return expiries.size();
    }
  }
}
