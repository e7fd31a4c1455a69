package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.random.RandomGenerator;

/** What the partition workers and drainers of one wrapped consumer share. */
record ConsumerParts(
    Vertx vertx,
    WrapperConfig config,
    Triage triage,
    QuarantineStore store,
    RetryQueue retryQueue,
    ConsumerMetrics metrics,
    HandlerInvoker invoker,
    Diversions diversions,
    OutageRetry outage,
    Clock clock) {

  /** The parts of one consumer group's wrapper around {@code handler}, whichever Kafka client feeds it. */
  static ConsumerParts assemble(
      Vertx vertx, WrapperConfig config, Triage triage, QuarantineStore store, RetryQueue retryQueue,
      ConsumerMetrics metrics, EventHandler handler, RandomGenerator random, Clock clock) {
    HandlerInvoker invoker = new HandlerInvoker(vertx, handler, config, random, metrics, clock);
    return new ConsumerParts(vertx, config, triage, store, retryQueue, metrics, invoker,
        new Diversions(config, clock, random),
        new OutageRetry(vertx, config.outageBackoff(), random, metrics, config.group()), clock);
  }
}
