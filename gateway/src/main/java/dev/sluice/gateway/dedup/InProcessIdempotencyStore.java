package dev.sluice.gateway.dedup;

import dev.sluice.ingest.kafka.Appended;
import io.vertx.core.Future;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The default store: an LRU map in the gateway's heap, at most {@code maxEntries} entries (about 200 bytes each: a
 * 64-character key, the topic name, partition, offset and expiry), each valid for {@code window}. Expired entries are
 * dropped when met, and the least recently used entry goes when the map is full. Thread-safe (one lock, O(1) work
 * under it); answers are already-completed Futures.
 *
 * <p>One replica only: see {@link IdempotencyStore} for the trade-off with {@link DynamoIdempotencyStore}.
 */
public final class InProcessIdempotencyStore implements IdempotencyStore {
  private record Entry(Appended appended, Instant expiresAt) {}

  private final int maxEntries;
  private final Duration window;
  private final Clock clock;
  private final LinkedHashMap<String, Entry> entries;

  public InProcessIdempotencyStore(int maxEntries, Duration window, Clock clock) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
    }
    if (window.isNegative() || window.isZero()) {
      throw new IllegalArgumentException("the dedup window must be positive, was " + window);
    }
    this.maxEntries = maxEntries;
    this.window = window;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry> eldest) {
        return size() > InProcessIdempotencyStore.this.maxEntries;
      }
    };
  }

  @Override
  public Future<Optional<Appended>> find(String source, String id) {
    String key = DedupKey.of(source, id);
    Instant now = clock.instant();
    synchronized (entries) {
      Entry e = entries.get(key);
      if (e == null) {
        return Future.succeededFuture(Optional.empty());
      }
      if (!now.isBefore(e.expiresAt())) {
        entries.remove(key);
        return Future.succeededFuture(Optional.empty());
      }
      return Future.succeededFuture(Optional.of(e.appended()));
    }
  }

  @Override
  public Future<Void> remember(String source, String id, Appended appended) {
    Objects.requireNonNull(appended, "appended");
    String key = DedupKey.of(source, id);
    Instant now = clock.instant();
    synchronized (entries) {
      Entry e = entries.get(key);
      if (e == null || !now.isBefore(e.expiresAt())) {
        entries.put(key, new Entry(appended, now.plus(window)));
      }
    }
    return Future.succeededFuture();
  }

  /** Entries held now, expired ones not yet met included. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
