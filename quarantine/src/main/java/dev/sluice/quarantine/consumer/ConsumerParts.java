package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.kafka.RecordPayloads;
import dev.sluice.quarantine.log.QuarantineLog;
import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.ConsumerWrites;
import dev.sluice.quarantine.store.QuarantineStore;
import io.vertx.core.Vertx;
import java.time.Clock;
import java.util.Optional;

/**
 * What the partition workers and drainers of one wrapped consumer share: the store (its reads, and the consumer's
 * writes), the group's queues, the triage, the meters, the handler and the group's replay flags, whichever Kafka
 * client feeds them, the reader of payloads too big for the store (which their Kafka records keep), and the slots of
 * the consumer's limit on records in the handler at once, the group's storms, and the quarantine log new QUARANTINED
 * items are appended to, if the wrapper has one. Every path that calls the handler first makes its event with the
 * {@link EventUnsealer}.
 */
record ConsumerParts(
    Vertx vertx,
    WrapperConfig config,
    Triage triage,
    QuarantineStore store,
    RetryQueue retryQueue,
    RedriveQueue redriveQueue,
    ConsumerMetrics metrics,
    HandlerInvoker invoker,
    EventUnsealer unsealer,
    Diversions diversions,
    OutageRetry outage,
    Clock clock,
    ReplayFlags replays,
    RecordPayloads payloads,
    ConsumerSlots slots,
    StormWatch storms,
    Optional<QuarantineLog> log) {

  /** The consumer's side of the store: new items and the settlement of open ones. */
  ConsumerWrites writes() {
    return store.consumer();
  }
}
