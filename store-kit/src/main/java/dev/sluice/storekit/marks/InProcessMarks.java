package dev.sluice.storekit.marks;

import io.vertx.core.Future;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Marks in this process's heap: an LRU map of at most {@code maxEntries} keys (a 64-character hash, the value and an
 * expiry, roughly 150 bytes plus the value each), each valid for the window. Expired marks are dropped when met; when
 * the map is full the least recently used mark goes, so size it to at least (keys per second x window), or an evicted
 * key counts as new again early. Thread-safe (one lock, O(1) work under it); answers are already-completed Futures.
 *
 * <p>For one process: marks are lost on restart and not shared with other processes. Use {@link DynamoMarks} when
 * that matters.
 */
public final class InProcessMarks<V> implements WindowMarks<V> {
  private record Entry<V>(V value, Instant validUntil) {}

  private final int maxEntries;
  private final MarkWindow window;
  private final LinkedHashMap<String, Entry<V>> entries;

  public InProcessMarks(int maxEntries, MarkWindow window) {
    if (maxEntries < 1) {
      throw new IllegalArgumentException("maxEntries must be at least 1, was " + maxEntries);
    }
    this.maxEntries = maxEntries;
    this.window = Objects.requireNonNull(window, "window");
    // Access order: a key that is looked up again stays longer than one that is not.
    this.entries = new LinkedHashMap<>(Math.min(maxEntries, 1 << 16), 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Entry<V>> eldest) {
        return size() > InProcessMarks.this.maxEntries;
      }
    };
  }

  @Override
  public Future<Boolean> markFirst(StoreKey key, V value) {
    Objects.requireNonNull(value, "value");
    Instant now = window.clock().instant();
    synchronized (entries) {
      Entry<V> e = entries.get(key.value());
      if (e != null && now.isBefore(e.validUntil())) {
        return Future.succeededFuture(false);
      }
      entries.put(key.value(), new Entry<>(value, now.plus(window.length())));
      return Future.succeededFuture(true);
    }
  }

  @Override
  public Future<Optional<V>> find(StoreKey key) {
    Instant now = window.clock().instant();
    synchronized (entries) {
      Entry<V> e = entries.get(key.value());
      if (e == null) {
        return Future.succeededFuture(Optional.empty());
      }
      if (!now.isBefore(e.validUntil())) {
        entries.remove(key.value());
        return Future.succeededFuture(Optional.empty());
      }
      return Future.succeededFuture(Optional.of(e.value()));
    }
  }

  @Override
  public Future<Void> forget(StoreKey key) {
    synchronized (entries) {
      entries.remove(key.value());
    }
    return Future.succeededFuture();
  }

  /** Marks held now, expired ones not yet met included. */
  public int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
