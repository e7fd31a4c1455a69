package dev.sluice.quarantine.dedup;

import dev.sluice.storekit.marks.DynamoMarks;
import dev.sluice.storekit.marks.InProcessMarks;
import dev.sluice.storekit.marks.MarkWindow;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.time.Duration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Remembers which events a consumer has applied, for a window, so that a handler that is not naturally idempotent can
 * skip a redelivery (after a crash or rebalance, a retry, or a redrive: all keep the original CloudEvent id).
 *
 * <p>A mark lasts {@code window} from when it was written; after that the event counts as new again. Size the window
 * to cover the longest gap between two deliveries of one event that should still be recognised (the retry tier's
 * longest delay plus the time an operator may take to redrive, if redrives must not re-apply).
 *
 * <p>Two kinds: {@link #inProcess} (one consumer process; lost on restart) and {@link #inDynamo} (shared by every
 * instance of a group; survives restarts). Use {@link IdempotentHandler} rather than calling these directly: it
 * chooses the order of mark and handle and serialises in-process duplicates.
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

  /**
   * Marks in this process's heap: at most {@code maxEntries} (the least recently used goes when full, so size it to at
   * least events per second x window, or an evicted event could be applied again), each valid for {@code window}.
   * Lost on restart and not shared with other instances of the group, which is exactly when redeliveries happen after
   * a crash or rebalance: use {@link #inDynamo} when that matters.
   */
  static ProcessedEvents inProcess(int maxEntries, Duration window, Clock clock) {
    return new MarkedProcessedEvents(new InProcessMarks<>(maxEntries, MarkWindow.of(window, clock)));
  }

  /**
   * Marks shared by every instance of a group, in {@code table} (made beforehand with {@link #ensureDynamoTable}), each
   * valid for {@code window}: a conditional put per event, so that of concurrent callers on any instance exactly one
   * wins. Its SDK calls run on {@code vertx}'s workers, each bounded by {@link DynamoMarks#DEFAULT_CALL_TIMEOUT}.
   */
  static ProcessedEvents inDynamo(Vertx vertx, DynamoDbClient dynamo, String table, Duration window, Clock clock) {
    return new MarkedProcessedEvents(
        MarkedProcessedEvents.TABLE.inDynamo(vertx, dynamo, table, MarkWindow.of(window, clock)));
  }

  /**
   * Creates the table of {@link #inDynamo} if it does not exist (hash key {@code pk}, on-demand billing), waits until
   * it exists, and turns on TTL on {@code expiresAt} if it is not on yet. Idempotent, also when several processes
   * race. Blocking: call it from a worker or at start-up, never on an event loop.
   */
  static void ensureDynamoTable(DynamoDbClient dynamo, String table) {
    MarkedProcessedEvents.TABLE.ensure(dynamo, table);
  }
}
