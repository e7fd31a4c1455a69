package dev.sluice.quarantine.consumer;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wraps a handler around a Vert.x Kafka consumer so that a partition never jams, per-key order holds through
 * failures, and nothing is skipped silently. Built like {@link QuarantiningPollLoop}, with the same
 * {@link WrapperBuilder} settings, on the service's Vert.x:
 *
 * <pre>{@code
 * QuarantiningConsumer consumer = QuarantiningConsumer.builder(WrapperConfig.of("billing", Set.of("retail"),
 *         BackoffPolicy.defaults()))
 *     .kafka(Map.of("bootstrap.servers", "localhost:9092"))
 *     .store(dynamo, "sluice-quarantine")
 *     .queues(sqs, "sluice")
 *     .schemas(registry)
 *     .meters(prometheus)
 *     .heartbeat("sluice-groups")
 *     .handler(event -> invoices.apply(event.event().id(), event.event().data()))
 *     .build(vertx);
 * // in the verticle: start() returns consumer.start(), stop() returns consumer.stop()
 * }</pre>
 *
 * <p>Three tiers of retry, each configured per group ({@link WrapperConfig}):
 * <ol>
 *   <li>in place: a few quick attempts with backoff while the record's partition is paused (other partitions flow);
 *   <li>delayed: the event is recorded RETRYING and handed to the group's SQS retry queue; the offset moves on, and
 *       the wrapper's {@link RetryDrainer} calls the same handler later (success: RESOLVED);
 *   <li>dead: QUARANTINED at once for poison and non-retryable failures, or when the retries are used up.
 * </ol>
 *
 * <p>On a {@code KEY_ORDERED} stream, a later event with the key of an open (retrying or quarantined) event is PARKED
 * behind it, its handler not called, while other keys flow; when the head settles the parked events are handled in
 * their original order ({@link PartitionLanes}).
 *
 * <p>The poll loop never waits for handling: each poll's records go to their partition's worker and the partition is
 * paused until the worker is idle again, so slow retries on one partition neither stall the others nor stop the
 * polling that keeps this consumer in its group. The next poll is asked for before a poll's records are handled, so
 * the client fetches and decodes the next records on its thread meanwhile; a busy partition may so receive one more
 * poll's worth of records before its pause takes effect, queued behind the others. Offsets are committed per
 * partition up to the last record that was handled or durably recorded, never past one that was not.
 *
 * <p>Deserialization is byte[] for keys and values, so a record can never fail to deserialize inside poll (which would
 * jam the consumer): every byte is judged by {@link Triage} instead.
 *
 * <p>Runs on the Vert.x context that calls {@link #start()} (an event loop); handler calls, timers, commits and the
 * partition workers all run there, and the Kafka client runs its blocking calls on its own thread.
 */
public final class QuarantiningConsumer {
  private static final Logger LOG = LoggerFactory.getLogger(QuarantiningConsumer.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  /**
   * While a partition is paused the poll returns this soon: a resume queued by an idle worker only reaches the client
   * after the poll in progress, so a long poll would leave a finished partition idle for its whole timeout.
   */
  private static final Duration POLL_TIMEOUT_WHILE_PAUSED = Duration.ofMillis(10);

  private final Vertx vertx;
  private final WrapperConfig config;
  private final ConsumerCore core;
  private final PartitionWorkers workers;
  private final Commits commits;

  private KafkaConsumer<byte[], byte[]> consumer;
  private volatile boolean running;
  private Promise<Void> pollLoopDone;
  private long endOffsetsTimer = -1;
  private boolean askingEndOffsets;
  /** Partitions this consumer paused because their worker was busy (confined to the context). */
  private final Set<TopicPartition> paused = new HashSet<>();

  private QuarantiningConsumer(WrapperParts wired) {
    this.core = new ConsumerCore(wired, PartitionWorker.Owner.of(this::idle, this::seekBack,
        wired.parts().config().maxPollRecords()), this::lagOf,
        this::committed);
    this.vertx = core.vertx();
    this.config = core.config();
    this.workers = core.workers();
    this.commits = new Commits(core, () -> consumer != null, this::commit);
  }

  /** A consumer for {@code config}'s group; see {@link Builder} for what it needs. */
  public static Builder builder(WrapperConfig config) {
    return new Builder(config);
  }

  /** The client properties the wrapper insists on, over whatever the caller passed. */
  Map<String, String> consumerProperties() {
    return core.consumerProperties();
  }

  /**
   * Checks what the group declares it reads against the schema registry, makes sure the group's redrive and retry
   * queues exist, subscribes, and starts the poll, retry and redrive loops; then the group's heartbeat, if it has one
   * (its first failure does not fail the start). Fails with an {@link IllegalStateException} naming each type and
   * pointer at fault when the registry refutes the declaration ({@link WrapperBuilder#contract}): nothing is consumed.
   */
  public Future<Void> start() {
    Map<String, Object> props = new HashMap<>(consumerProperties());
    // The check parses the declared types' schemas: on a worker, like the client's construction.
    return vertx.executeBlocking(core::contractRefusal, false)
        .compose(refused -> refused.isEmpty() ? Future.<Void>succeededFuture()
            : Future.<Void>failedFuture(new IllegalStateException(refused.get())))
        // Constructing a Kafka consumer resolves the bootstrap addresses: blocking, so it is done on a worker, and
        // only the wrapping (which binds the consumer to this context) happens here.
        .compose(checked -> vertx.executeBlocking(() -> new org.apache.kafka.clients.consumer.KafkaConsumer<>(
            props, new ByteArrayDeserializer(), new ByteArrayDeserializer()), false))
        .compose(raw -> {
          consumer = KafkaConsumer.create(vertx, raw);
          consumer.exceptionHandler(e -> LOG.warn("consumer {}: {}", config.group(), e.toString()));
          // Both run on this context, in the order the client called them, before the records of the new
          // assignment are delivered: a worker exists (and loads its open items) before anything of its partition.
          consumer.partitionsRevokedHandler(this::revoked);
          consumer.partitionsAssignedHandler(this::assigned);
          return core.ensureQueues();
        })
        .compose(queues -> consumer.subscribe(config.topics()))
        .onSuccess(v -> {
          running = true;
          pollLoopDone = Promise.promise();
          pollLoop();
          commits.startPeriodic();
          endOffsetsTimer = vertx.setPeriodic(config.laneRefresh().toMillis(), t -> refreshEndOffsets());
          core.startBackground();
          LOG.info("consumer group {} reading {}", config.group(), config.topics());
        })
        .compose(v -> core.presence().start());
  }

  /**
   * Removes the group's heartbeat (first, so the registry never lists an instance that no longer consumes), stops
   * polling, lets each partition finish the record in hand (bounded), commits what was done, then closes the Kafka
   * consumer. Nothing is committed past a record that was neither handled nor recorded.
   */
  public Future<Void> stop() {
    // A heartbeat that cannot be removed expires: it never keeps the consumer from stopping.
    return core.presence().stop().recover(err -> Future.succeededFuture()).compose(v -> stopConsuming());
  }

  private Future<Void> stopConsuming() {
    if (!running) {
      return consumer == null ? Future.succeededFuture() : consumer.close();
    }
    running = false;
    commits.stopPeriodic();
    if (endOffsetsTimer >= 0) {
      vertx.cancelTimer(endOffsetsTimer);
    }
    long bound = core.stopBoundMillis();
    return Future.join(pollLoopDone.future().timeout(bound, TimeUnit.MILLISECONDS), core.stop(bound))
        .eventually(commits::now)
        .eventually(() -> consumer.close())
        .mapEmpty();
  }

  // ---------------------------------------------------------------------------------------------------------------

  /**
   * Polls, hands each poll's records over, and polls again. The next poll is asked for before the records just
   * received are handled: the client then fetches and decodes the next ones on its own thread while this context
   * handles these (on a synchronous handler, the two would otherwise take turns, each idle while the other works).
   */
  private void pollLoop() {
    if (!running) {
      pollLoopDone.tryComplete();
      return;
    }
    consumer.poll(paused.isEmpty() ? POLL_TIMEOUT : POLL_TIMEOUT_WHILE_PAUSED).onComplete(ar -> {
      if (ar.failed()) {
        if (running) {
          LOG.warn("consumer group {}: poll failed, polling again shortly: {}", config.group(), ar.cause().toString());
          vertx.setTimer(config.errorBackoff().toMillis(), t -> pollLoop());
        } else {
          pollLoop();
        }
        return;
      }
      List<PartitionWorker> fed = hand(ar.result());
      pollLoop();
      try {
        work(fed);
      } catch (RuntimeException bug) {
        // Each record's own failures are values inside its worker: only a bug gets here. The records stay queued,
        // so their partitions are not committed past them.
        LOG.error("consumer group {}: handing records over failed", config.group(), bug);
      }
    });
  }

  /** Queues each partition's records with its worker, none started yet; the workers fed. */
  private List<PartitionWorker> hand(KafkaConsumerRecords<byte[], byte[]> batch) {
    if (batch.isEmpty() || !running) {
      return List.of();
    }
    ConsumerRecords<byte[], byte[]> records = batch.records();
    List<PartitionWorker> fed = new ArrayList<>(records.partitions().size());
    for (org.apache.kafka.common.TopicPartition tp : records.partitions()) {
      PartitionWorker worker = workers.workerFor(tp);
      worker.take(records.records(tp));
      fed.add(worker);
    }
    return fed;
  }

  /**
   * Lets the fed workers work through their records, then pauses the partitions of those that are still busy, until
   * they are idle again. The pause reaches the client after the poll asked for before the records were handled: that
   * poll may still bring a busy partition one more poll's worth of records, which wait in its worker's queue in
   * order; the poll after it brings none.
   */
  private void work(List<PartitionWorker> fed) {
    if (fed.isEmpty()) {
      return;
    }
    Set<TopicPartition> toPause = new HashSet<>();
    for (PartitionWorker worker : fed) {
      worker.wake();
    }
    for (PartitionWorker worker : fed) {
      if (worker.busy() && running) {
        toPause.add(new TopicPartition(worker.topic(), worker.partition()));
      }
    }
    toPause.removeAll(paused);
    if (toPause.isEmpty()) {
      return;
    }
    paused.addAll(toPause);
    consumer.pause(toPause)
        .onFailure(err -> LOG.warn("consumer group {}: pausing {} failed: {}", config.group(), toPause,
            err.toString()));
  }

  private void assigned(Set<TopicPartition> partitions) {
    if (!running) {
      return;
    }
    for (TopicPartition p : partitions) {
      workers.workerFor(new org.apache.kafka.common.TopicPartition(p.getTopic(), p.getPartition()));
    }
    LOG.info("group {}: assigned {}", config.group(), partitions);
  }

  /**
   * The partitions are gone: their workers stop, uncommitted work is left to the next owner (which replays it;
   * every write is idempotent by record, and it reloads the open items before it handles anything).
   */
  private void revoked(Set<TopicPartition> partitions) {
    List<org.apache.kafka.common.TopicPartition> gone = new ArrayList<>();
    partitions.forEach(p -> gone.add(new org.apache.kafka.common.TopicPartition(p.getTopic(), p.getPartition())));
    workers.stop(gone);
    paused.removeAll(partitions);
    LOG.info("group {}: revoked {}", config.group(), partitions);
  }

  /**
   * A worker ran out of records. If its partition was paused (it was held: slow handling, retries, an outage), commit
   * its progress at once and let it be fetched again. A partition that kept flowing was never paused: its progress
   * goes with the periodic commit, as a commit per poll would queue a synchronous commit before every next poll on the
   * client's thread (the happy path's largest cost after validation).
   */
  private void idle(PartitionWorker worker) {
    if (!running) {
      return;
    }
    TopicPartition tp = new TopicPartition(worker.topic(), worker.partition());
    if (!paused.remove(tp)) {
      return;
    }
    commits.progress();
    consumer.resume(tp)
        .onFailure(err -> LOG.debug("group {}: resume {}-{} failed: {}", config.group(), worker.topic(),
            worker.partition(), err.toString()));
  }

  /**
   * A rewind moves a partition back, through the Vert.x client (whose calls run in order on its own thread): pause,
   * seek, commit. The pause comes first so that no record of the partition is fetched from where it was; records
   * fetched before it reach a worker that drops them until it is rewound, and the worker resumes the partition when
   * it is (as any paused partition, by going idle).
   */
  private Future<PartitionWorker.SeekedBack> seekBack(org.apache.kafka.common.TopicPartition kafkaTp, long start,
      OptionalLong resumeAt) {
    TopicPartition tp = new TopicPartition(kafkaTp.topic(), kafkaTp.partition());
    paused.add(tp);
    return consumer.pause(tp)
        .compose(v -> resumeAt.isPresent() ? Future.succeededFuture(resumeAt.getAsLong())
            : consumer.committed(tp).map(o -> o == null ? start : o.getOffset()))
        .compose(resume -> {
          PartitionWorker.SeekedBack target = PartitionWorker.SeekedBack.of(start, resume);
          return consumer.seek(tp, target.to())
              .compose(v -> consumer.commit(Map.of(tp, new OffsetAndMetadata(target.to(), ""))))
              .map(committed -> target);
        });
  }

  /** Sends offsets to the broker, through the Vert.x client (its answer comes back on this context). */
  private Future<Void> commit(Map<org.apache.kafka.common.TopicPartition, Long> toCommit) {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    toCommit.forEach((tp, o) -> offsets.put(new TopicPartition(tp.topic(), tp.partition()), new OffsetAndMetadata(o,
        "")));
    return consumer.commit(offsets).mapEmpty();
  }

  /** The group's committed offsets of {@code partitions}, through the Vert.x client (answered on this context). */
  private Future<Map<org.apache.kafka.common.TopicPartition, Long>> committed(
      Set<org.apache.kafka.common.TopicPartition> partitions) {
    Map<org.apache.kafka.common.TopicPartition, Future<OffsetAndMetadata>> asked = new HashMap<>();
    partitions.forEach(tp -> asked.put(tp, consumer.committed(new TopicPartition(tp.topic(), tp.partition()))));
    return Future.all(List.copyOf(asked.values())).map(all -> {
      Map<org.apache.kafka.common.TopicPartition, Long> offsets = new HashMap<>();
      asked.forEach((tp, found) -> {
        if (found.result() != null) {
          offsets.put(tp, found.result().getOffset());
        }
      });
      return offsets;
    });
  }

  /**
   * Asks the broker for the end offsets of the assigned partitions, for the lag gauges (one request at a time, on the
   * client's thread, between polls).
   */
  private void refreshEndOffsets() {
    if (askingEndOffsets || workers.isEmpty() || !running) {
      return;
    }
    Set<TopicPartition> assigned = new HashSet<>();
    workers.partitions().forEach(tp -> assigned.add(new TopicPartition(tp.topic(), tp.partition())));
    askingEndOffsets = true;
    consumer.endOffsets(assigned)
        .onSuccess(ends -> {
          Map<org.apache.kafka.common.TopicPartition, Long> byPartition = new HashMap<>();
          ends.forEach((tp, end) -> byPartition.put(
              new org.apache.kafka.common.TopicPartition(tp.getTopic(), tp.getPartition()), end));
          workers.endOffsets(byPartition);
        })
        .onComplete(ar -> askingEndOffsets = false);
  }

  /**
   * The partition's lag as the Kafka client last measured it ({@code records-lag}). Read from the client's metric
   * registry, which is safe from any thread, unlike the client itself.
   */
  private double lagOf(org.apache.kafka.common.TopicPartition tp) {
    KafkaConsumer<byte[], byte[]> c = consumer;
    return c == null ? Double.NaN : PartitionWorkers.recordsLag(c.unwrap().metrics(), tp);
  }

  /**
   * What a {@link QuarantiningConsumer} needs (see {@link WrapperBuilder}), and its handler, called on the consumer's
   * context: it must not block (its Future says when it is done).
   */
  public static final class Builder extends WrapperBuilder<Builder, EventHandler> {
    private Builder(WrapperConfig config) {
      super(config, "a consumer");
    }

    /**
     * A consumer on {@code vertx}, not started yet: start it from the context it is to run on (a verticle's
     * {@code start}), which all its handler calls, timers and commits then use.
     */
    public QuarantiningConsumer build(Vertx vertx) {
      requireComplete();
      return new QuarantiningConsumer(assemble(Objects.requireNonNull(vertx, "vertx"), handler));
    }
  }
}
