package dev.sluice.quarantine.consumer;

import io.vertx.core.Future;

/**
 * A consumer's business logic. Return a succeeded Future once the event is fully handled (side effects durable); a
 * failed Future (or a thrown exception) is classified by the group's {@link dev.sluice.quarantine.retry.RetryClassifier}:
 * retryable failures are retried in place, then by the delayed tier; a {@link dev.sluice.quarantine.retry.PoisonPill}
 * or another non-retryable failure is quarantined at once.
 *
 * <p>Called on the wrapper's event loop: never block in it. Delivery is at least once: a crash or rebalance between
 * the handler's success and the offset commit delivers the event again, and a retry or redrive delivers it with its
 * original CloudEvent id and a higher {@link ConsumedEvent#redriveGeneration()}; a handler that is not naturally
 * idempotent dedups by {@code event().id()}. Events of one key are never handed over concurrently on a key-ordered
 * stream; events of different keys (a redrive, a delayed retry, a release, a live record) may be.
 */
@FunctionalInterface
public interface EventHandler {
  Future<Void> handle(ConsumedEvent event);
}
