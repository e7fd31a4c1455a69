package dev.sluice.storekit.marks;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Remembers that a key was seen, with a value, for a window from when it was marked: the gateway remembers where an
 * accepted event was appended, a consumer which events it applied. After the window the key counts as new again.
 *
 * <p>Two implementations: {@link InProcessMarks} (a bounded map in this process: free and immediate, but lost on
 * restart and not shared) and {@link DynamoMarks} (a DynamoDB table shared by every process, with conditional writes
 * and a TTL attribute).
 *
 * @param <V> what a mark carries ({@link Seen} when it says nothing but "seen")
 */
public interface WindowMarks<V> {
  /**
   * Marks {@code key} with {@code value} unless a valid (unexpired) mark exists: true if this call marked it, false if
   * the earlier mark stands (its value unchanged). Atomic: of concurrent calls for one key, exactly one gets true; an
   * expired mark is replaced.
   */
  Future<Boolean> markFirst(StoreKey key, V value);

  /** The value of the valid mark on {@code key}, if there is one. Read-only. */
  Future<Optional<V>> find(StoreKey key);

  /** Removes the mark on {@code key}, if any, so the key counts as new again. */
  Future<Void> forget(StoreKey key);
}
