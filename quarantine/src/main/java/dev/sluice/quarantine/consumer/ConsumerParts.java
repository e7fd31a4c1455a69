package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Vertx;
import java.time.Clock;

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
    Clock clock) {}
