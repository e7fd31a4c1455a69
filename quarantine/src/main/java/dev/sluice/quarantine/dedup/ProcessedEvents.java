package dev.sluice.quarantine.dedup;

import io.vertx.core.Future;

/**
 * Remembers which events a consumer has applied, for a window, so that a handler that is not naturally idempotent can
 * skip a redelivery (after a crash or rebalance, a retry, or a redrive: all keep the original CloudEvent id).
 *
 * <p>A mark lasts {@code window} from when it was written; after that the event counts as new again. Size the window
 * to cover the longest gap between two deliveries of one event that should still be recognised (the retry tier's
 * longest delay plus the time an operator may take to redrive, if redrives must not re-apply).
 *
 * <p>Implementations: {@link InProcessProcessedEvents} (one consumer process; lost on restart) and
 * {@link DynamoProcessedEvents} (shared by every instance of a group; survives restarts). Use {@link IdempotentHandler}
 * rather than calling these directly: it chooses the order of mark and handle and serialises in-process duplicates.
 */
public interface ProcessedEvents {
  /**
   * Marks the event as processed unless a valid mark exists: true if this call marked it (not seen within the
   * window), false if it was marked before. Atomic: of concurrent calls for one key, exactly one gets true.
   */
  Future<Boolean> firstTime(String scope, String eventId);

  /** Whether a valid (unexpired) mark exists. Read-only. */
  Future<Boolean> seen(String scope, String eventId);

  /** Removes the mark, if any, so the event counts as new again: undoes {@link #firstTime} for a failed handler. */
  Future<Void> forget(String scope, String eventId);

  default Future<Boolean> firstTime(EventKey key) {
    return firstTime(key.scope(), key.eventId());
  }

  default Future<Boolean> seen(EventKey key) {
    return seen(key.scope(), key.eventId());
  }

  default Future<Void> forget(EventKey key) {
    return forget(key.scope(), key.eventId());
  }
}
