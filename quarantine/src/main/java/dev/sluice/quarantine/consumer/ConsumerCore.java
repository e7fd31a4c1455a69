package dev.sluice.quarantine.consumer;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import dev.sluice.quarantine.log.QuarantineIndexer;
import dev.sluice.quarantine.log.QuarantineLog;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.TopicPartition;

/**
 * The part of a wrapped consumer that does not depend on the Kafka client feeding it: the partition workers, the
 * retry and redrive drainers, the group's presence in the registry, and its part in the group's replay. Both front
 * ends, the Vert.x {@link QuarantiningConsumer} and the plain {@link QuarantiningPollLoop}, are built on one and add
 * only what their Kafka client needs. Confined to the consumer's Vert.x context, like the workers.
 */
final class ConsumerCore {
  private final ConsumerParts parts;
  private final Map<String, String> kafkaProps;
  private final GroupPresence presence;
  private final DeclaredReads declared;
  private final PartitionWorkers workers;
  private final RedriveDrainer redriveDrainer;
  private final RetryDrainer retryDrainer;
  private final ReplayProgress replayProgress;
  private final Optional<QuarantineIndexer> indexer;

  /**
   * @param owner told when a partition's worker ran out of records
   * @param lag the Kafka client's own lag measure of a partition, for a worker that has not seen a record yet
   * @param committed the group's committed offsets, as the front end's Kafka client reads them
   */
  ConsumerCore(WrapperParts wired, PartitionWorker.Owner owner, ToDoubleFunction<TopicPartition> lag,
      ReplayProgress.CommittedOffsets committed) {
    this.parts = wired.parts();
    this.kafkaProps = Map.copyOf(wired.kafkaProps());
    this.presence = wired.presence();
    this.declared = wired.declared();
    this.indexer = wired.indexer();
    this.workers = new PartitionWorkers(parts, owner, lag);
    this.redriveDrainer = new RedriveDrainer(parts, workers::itemChanged);
    this.retryDrainer = new RetryDrainer(parts, workers::itemChanged);
    this.replayProgress = new ReplayProgress(parts, workers::partitions, committed, workers::sampleReplay);
    parts.replays().onHoldChanged(workers::wakeAll);
    parts.replays().pacedBy(workers::partitions);
    parts.replays().onRead(workers::replayRead);
    // An operator lifted a storm (read on a lane refresh): its partition takes up the records it held back.
    parts.storms().onLifted(workers::wakeAll);
  }

  Vertx vertx() {
    return parts.vertx();
  }

  WrapperConfig config() {
    return parts.config();
  }

  PartitionWorkers workers() {
    return workers;
  }

  GroupPresence presence() {
    return presence;
  }

  /**
   * Why the group may not start with what it declares it reads, as the registry is now; empty when it may. Parses the
   * declared types' schemas: call it off the event loop.
   */
  Optional<String> contractRefusal() {
    return declared.refusal();
  }

  /** The client properties the wrapper insists on, over whatever the caller passed. */
  Map<String, String> consumerProperties() {
    return PartitionWorkers.consumerProperties(parts.config(), kafkaProps);
  }

  /** Makes sure the group's redrive and retry queues exist, and the quarantine log's topic if it has one. */
  Future<Void> ensureQueues() {
    String group = parts.config().group();
    Future<Void> log = parts.log().isEmpty() ? Future.succeededFuture()
        : parts.vertx().executeBlocking(() -> {
          parts.log().get().ensureTopic();
          return null;
        }, false);
    return Future.all(parts.redriveQueue().ensureQueue(group), parts.retryQueue().ensureQueue(group), log)
        .mapEmpty();
  }

  /**
   * Starts what runs beside the partitions: the retry and redrive drainers, the replay's progress, the re-read of
   * the group's storms, and the quarantine log's indexer.
   */
  void startBackground() {
    indexer.ifPresent(QuarantineIndexer::start);
    redriveDrainer.start();
    retryDrainer.start();
    replayProgress.start();
    parts.storms().start(parts.vertx(), parts.config().laneRefresh());
  }

  /**
   * Stops every worker after its record in hand and both drainers, each waited for at most {@code boundMs}; completes
   * when all are done or out of time (never fails). What the workers finished stays readable for the last commit.
   * The replay's progress stops at once: the group's next instance reads the committed offsets again.
   */
  Future<Void> stop(long boundMs) {
    replayProgress.stop();
    parts.storms().stop(parts.vertx());
    return Future.join(
            Future.join(workers.stopAll()).timeout(boundMs, TimeUnit.MILLISECONDS),
            // A drainer may be in an SQS long poll or waiting out an outage: it is not followed up after the bound.
            redriveDrainer.stop().timeout(boundMs, TimeUnit.MILLISECONDS),
            retryDrainer.stop().timeout(boundMs, TimeUnit.MILLISECONDS))
        // The log's producer last: the workers' appends in flight are done or abandoned by now.
        .<Void>transform(ar -> closeLog());
  }

  /** Stops the indexer (its uncommitted work goes to another member) and closes the log; never fails. */
  private Future<Void> closeLog() {
    if (parts.log().isEmpty() && indexer.isEmpty()) {
      return Future.succeededFuture();
    }
    return parts.vertx().executeBlocking(() -> {
      indexer.ifPresent(QuarantineIndexer::close);
      parts.log().ifPresent(QuarantineLog::close);
      return null;
    }, false).<Void>transform(ar -> Future.succeededFuture());
  }

  /** How long a stop waits for records in hand and drainers: within the poll interval, and 30 s at most. */
  long stopBoundMillis() {
    return Math.min(parts.config().maxPollInterval().toMillis(), 30_000);
  }
}
