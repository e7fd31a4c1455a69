package dev.sluice.quarantine.consumer;

import io.vertx.core.Future;

/**
 * A consumer's business logic. Return a succeeded Future once the event is fully handled (side effects durable); a
 * failed Future (or a thrown exception) is classified: retryable failures are retried with backoff, and a
 * {@link dev.sluice.quarantine.retry.PoisonPill} or another non-retryable failure is quarantined at once.
 *
 * <p>Called on the wrapper's event loop: never block in it. A redrive may call it while live records are handled.
 */
@FunctionalInterface
public interface EventHandler {
  Future<Void> handle(ConsumedEvent event);
}
