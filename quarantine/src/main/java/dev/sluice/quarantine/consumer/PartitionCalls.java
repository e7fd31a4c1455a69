package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The store and queue calls of one partition, each retried through an outage ({@link OutageRetry}) for as long as
 * the partition is live, and the trouble they run into. A write the partition's progress waits for (a batch of new
 * items, a retry's message) notes trouble from its second try on: the store or queue is down or struggling, so the
 * worker takes no more records (and the partition stays paused) until such a write lands. Unsealing an event for the
 * handler rides out a key outage the same way ({@link #unsealed}). Confined to the consumer's context, like the worker
 * and lanes that share it.
 */
final class PartitionCalls {
  private final ConsumerParts parts;
  private final BooleanSupplier live;
  /** A write of this partition failed and is being tried again; cleared when one lands. */
  private boolean trouble;
  /** An event of this partition waits for its keys (an outage); cleared when an unsealing lands. */
  private boolean keysTrouble;

  PartitionCalls(ConsumerParts parts, BooleanSupplier live) {
    this.parts = parts;
    this.live = live;
  }

  /** Whether a write of this partition, or an event's unsealing, is being tried again after a failure. */
  boolean inTrouble() {
    return trouble || keysTrouble;
  }

  /**
   * The event as the handler may see it ({@link EventUnsealer}), through a key outage for as long as the partition is
   * live: the event waits (nothing past it is committed) and, from its first failed try on, the worker takes no more
   * records, as for a write the partition waits for; it carries on by itself once the keys answer.
   */
  Future<EventUnsealer.Outcome> unsealed(Triage.Ready ready) {
    return parts.unsealer().open(ready, live, () -> keysTrouble = true).onSuccess(v -> keysTrouble = false);
  }

  /** A call whose failures mean only that it is tried again (a read, or a settlement nothing else waits for). */
  <T> Future<T> untilDone(String what, String stream, Supplier<Future<T>> call) {
    return parts.outage().untilDone(what, stream, live, call);
  }

  /**
   * A write the partition's progress waits for: from its second try on the one before failed, and the worker stops
   * taking records until a write lands.
   */
  <T> Future<T> untilWritten(String what, String stream, Supplier<Future<T>> call) {
    int[] tries = {0};
    return parts.outage().untilDone(what, stream, live, () -> {
      if (++tries[0] > 1) {
        trouble = true;
      }
      return call.get();
    }).onSuccess(v -> trouble = false);
  }

  /** Hands a RETRYING item to the group's retry queue, due after {@code delay}. */
  Future<Void> scheduleRetry(QuarantineItem item, Duration delay) {
    RetryQueue.Request request = new RetryQueue.Request(item.id(), item.attempts(),
        item.nextAttemptAt().orElse(parts.clock().instant()), delay);
    return untilWritten("scheduling a retry of " + item.id(), item.stream(),
        () -> parts.retryQueue().schedule(parts.config().group(), request));
  }
}
