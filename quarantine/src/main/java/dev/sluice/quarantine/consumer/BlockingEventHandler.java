package dev.sluice.quarantine.consumer;

/**
 * A consumer's business logic for a service that does not use Vert.x ({@link QuarantiningPollLoop}): return once the
 * event is fully handled (side effects durable); throw to fail. A thrown exception is classified by the group's
 * {@link dev.sluice.quarantine.retry.RetryClassifier} exactly as a failed {@link EventHandler} Future is: retryable
 * failures are retried in place, then by the delayed tier; a {@link dev.sluice.quarantine.retry.PoisonPill} or another
 * non-retryable failure is quarantined at once.
 *
 * <p>Called on the wrapper's handler threads, never on an event loop, so it may block (JDBC, HTTP clients, ...).
 * Events of one partition are handed over one at a time and in order; events of different partitions, and delayed
 * retries, redrives and releases of other keys, may be handled concurrently on other threads. A call still running
 * after the group's {@code handlerTimeout} counts as a retryable failure (the thread is not interrupted), so the same
 * event may then be handed over again while the late call finishes. Delivery is at least once, as for
 * {@link EventHandler}: dedup by {@code event().id()} if the handler is not naturally idempotent.
 */
@FunctionalInterface
public interface BlockingEventHandler {
  void handle(ConsumedEvent event) throws Exception;
}
