package dev.sluice.quarantine.consumer;

import dev.sluice.quarantine.dedup.DynamoProcessedEvents;
import dev.sluice.quarantine.dedup.EventKey;
import dev.sluice.quarantine.dedup.IdempotentHandler;
import dev.sluice.quarantine.dedup.InProcessProcessedEvents;
import dev.sluice.quarantine.dedup.ProcessedEvents;
import dev.sluice.quarantine.groups.GroupHeartbeat;
import dev.sluice.quarantine.groups.GroupRegistry;
import dev.sluice.quarantine.groups.Heartbeater;
import dev.sluice.quarantine.groups.SchemaVersionsSeen;
import dev.sluice.quarantine.metrics.ConsumerMetrics;
import dev.sluice.quarantine.queue.RedriveQueue;
import dev.sluice.quarantine.queue.RetryQueue;
import dev.sluice.quarantine.store.QuarantineStore;
import dev.sluice.schemas.catalog.StreamDefinition;
import dev.sluice.schemas.registry.SchemaRegistry;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.random.RandomGenerator;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The wrapper for services that do not use Vert.x: a plain {@link KafkaConsumer} poll loop on a thread of its own,
 * with the behaviour of {@link QuarantiningConsumer} (the three tiers of retry, key-ordered parking, outage retries,
 * metrics, offsets committed only past handled or recorded records) and the same quarantine store and queues, so the
 * redrive console and the other consumers of a group see no difference. The handler is a blocking
 * {@link BlockingEventHandler}, run on handler threads of the wrapper.
 *
 * <pre>{@code
 * try (QuarantiningPollLoop loop = QuarantiningPollLoop.builder(WrapperConfig.of("billing", Set.of("retail"),
 *         BackoffPolicy.defaults()))
 *     .kafka(Map.of("bootstrap.servers", "localhost:9092"))
 *     .store(dynamo, "sluice-quarantine")
 *     .queues(sqs, "sluice")
 *     .schemas(registry)
 *     .meters(prometheus)
 *     .handler(event -> invoices.apply(event.event().id(), event.event().data()))
 *     .build()) {
 *   loop.start();
 *   ...
 * }
 * }</pre>
 *
 * <p>Threads. The Kafka client is not thread-safe, so only the poll thread touches it: it polls, pauses each partition
 * that delivered records, hands the records to the partition's worker, and carries out what the workers ask for
 * (resume a partition that has worked through its records, commit) from a queue it drains between polls; whoever
 * queues work while it polls wakes it ({@link KafkaConsumer#wakeup()}, the client's one thread-safe call). The
 * partition workers, the retry and redrive drainers and the store and queue calls are those of
 * {@link QuarantiningConsumer}, on one Vert.x context of a Vert.x instance the loop creates and owns; they never wait
 * for the poll thread, and the poll thread never waits for handling (a busy partition is simply paused), so in-place
 * retries neither stall the other partitions nor the polling that keeps this consumer in its group.
 *
 * <p>Rebalances. The listener runs on the poll thread, inside {@code poll}: an assigned partition's worker is created
 * (and starts loading the partition's open items) before any record of the new assignment reaches it; a revoked
 * partition's worker is stopped and what it finished is committed synchronously before the partition goes, so the
 * next owner replays as little as possible (whatever was in hand is replayed; every write is idempotent by record).
 */
public final class QuarantiningPollLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuarantiningPollLoop.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final Duration CLIENT_CALL_TIMEOUT = Duration.ofSeconds(5);
  /** How long the poll thread waits for the context (it never blocks: this only guards against a closed Vert.x). */
  private static final long CONTEXT_WAIT_MS = 10_000;

  private final WrapperConfig config;
  private final Map<String, String> kafkaProps;
  private final Vertx vertx;
  private final boolean ownsVertx;
  private final Context context;
  private final WorkerExecutor handlerThreads;
  private final RedriveQueue redriveQueue;
  private final RetryQueue retryQueue;
  private final PartitionWorkers workers;
  private final RedriveDrainer redriveDrainer;
  private final RetryDrainer retryDrainer;
  /** Makes the group's heartbeater, if it registers itself in the group registry (may look up the host name). */
  private final Function<Vertx, Heartbeater> heartbeats;
  private Heartbeater heartbeater;

  // Between the poll thread and the rest.
  private final LinkedBlockingDeque<Consumer<KafkaConsumer<byte[], byte[]>>> clientActions =
      new LinkedBlockingDeque<>();
  private final AtomicBoolean polling = new AtomicBoolean();
  private volatile boolean running;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  private volatile Map<MetricName, ? extends Metric> clientMetrics = Map.of();
  private volatile Set<TopicPartition> assignment = Set.of();
  private Thread pollThread;
  private boolean started;
  private boolean closed;

  // Confined to the context.
  private boolean committing;
  private long commitTimer = -1;

  QuarantiningPollLoop(
      Vertx vertx, boolean ownsVertx, WrapperConfig config, Map<String, String> kafkaProps, Triage triage,
      QuarantineStore store, RedriveQueue redriveQueue, RetryQueue retryQueue, ConsumerMetrics metrics,
      BlockingEventHandler handler, int handlerThreadCount, Function<Vertx, ProcessedEvents> dedup,
      Function<Vertx, Heartbeater> heartbeats, RandomGenerator random, Clock clock) {
    this.vertx = vertx;
    this.heartbeats = heartbeats;
    this.ownsVertx = ownsVertx;
    this.config = config;
    this.kafkaProps = Map.copyOf(kafkaProps);
    this.redriveQueue = redriveQueue;
    this.retryQueue = retryQueue;
    // A pool of its own, so that slow handlers never take the threads the store and queue calls run on. Vert.x warns
    // of a blocked thread only well past the handler timeout (which already counts the call as failed).
    long warnAfterMs = Math.max(60_000, config.handlerTimeout().toMillis() * 2);
    this.handlerThreads = vertx.createSharedWorkerExecutor("sluice-handler-" + config.group(), handlerThreadCount,
        warnAfterMs, TimeUnit.MILLISECONDS);
    EventHandler onWorkerThreads = event -> handlerThreads.executeBlocking(() -> {
      handler.handle(event);
      return null;
    }, false);
    EventHandler handling = onWorkerThreads;
    if (dedup != null) {
      // Checked and marked by CloudEvent id within the group, around the handler thread's call (at-least-once).
      IdempotentHandler<ConsumedEvent> once = new IdempotentHandler<>(vertx, dedup.apply(vertx),
          IdempotentHandler.Marking.MARK_AFTER_SUCCESS, config.handlerTimeout(),
          event -> EventKey.of(event.group(), event.event().id()), onWorkerThreads::handle);
      handling = once::apply;
    }
    this.context = vertx.getOrCreateContext();
    ConsumerParts parts = ConsumerParts.assemble(vertx, config, triage, store, retryQueue, redriveQueue, metrics,
        handling, random,
        clock);
    this.workers = new PartitionWorkers(parts, this::idle, tp -> PartitionWorkers.recordsLag(clientMetrics, tp));
    this.redriveDrainer = new RedriveDrainer(parts, workers::itemChanged);
    this.retryDrainer = new RetryDrainer(parts, workers::itemChanged);
  }

  /** A loop for {@code config}'s group; see {@link Builder} for what it needs. */
  public static Builder builder(WrapperConfig config) {
    return new Builder(config);
  }

  /**
   * Makes sure the group's redrive and retry queues exist, subscribes, and starts the poll loop and the retry and
   * redrive drainers. Blocks until then; throws if the queues cannot be reached or the client cannot be created.
   */
  public synchronized void start() {
    refuseOnEventLoop("start");
    if (started || closed) {
      throw new IllegalStateException("a poll loop starts once");
    }
    started = true;
    await(Future.all(redriveQueue.ensureQueue(config.group()), retryQueue.ensureQueue(config.group())),
        "creating the queues of group " + config.group(), 60_000);
    KafkaConsumer<byte[], byte[]> client = new KafkaConsumer<>(
        new HashMap<String, Object>(PartitionWorkers.consumerProperties(config, kafkaProps)),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    try {
      client.subscribe(config.topics(), new Rebalance(client));
      // A live view of the client's metric registry, readable from the gauges' threads.
      clientMetrics = client.metrics();
      consumer = client;
      running = true;
      await(onContext(() -> {
        commitTimer = vertx.setPeriodic(config.commitInterval().toMillis(), t -> commitProgress());
        redriveDrainer.start();
        retryDrainer.start();
        return null;
      }), "starting the drainers of group " + config.group(), CONTEXT_WAIT_MS);
    } catch (RuntimeException e) {
      running = false;
      client.close(CloseOptions.timeout(Duration.ZERO));
      throw e;
    }
    pollThread = new Thread(() -> pollLoop(client), "sluice-poll-" + config.group());
    pollThread.start();
    if (heartbeats != null) {
      heartbeater = heartbeats.apply(vertx);
      // A failed first heartbeat is retried by the heartbeater on its timer; it never stops the consumer.
      await(heartbeater.start().recover(err -> Future.succeededFuture()), "the first heartbeat", 30_000);
    }
    LOG.info("consumer group {} reading {} (plain poll loop)", config.group(), config.topics());
  }

  /**
   * Stops polling, lets each partition finish the record in hand (bounded), commits what was done, leaves the group
   * and closes the Kafka client, then the loop's Vert.x. Blocks until then. Nothing is committed past a record that
   * was neither handled nor recorded.
   */
  @Override
  public synchronized void close() {
    refuseOnEventLoop("close");
    if (closed) {
      return;
    }
    closed = true;
    if (heartbeater != null) {
      // First, so the registry never lists an instance that no longer consumes.
      try {
        await(heartbeater.stop(), "removing the heartbeat", 15_000);
      } catch (RuntimeException e) {
        LOG.warn("group {}: heartbeat not removed (it expires): {}", config.group(), e.toString());
      }
    }
    running = false;
    try {
      if (pollThread != null) {
        toPollThread(client -> { }); // wakes it from its poll, or from a wait after a failure
        pollThread.join(stopBound().toMillis() + 45_000);
        if (pollThread.isAlive()) {
          LOG.error("group {}: the poll thread did not end", config.group());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      handlerThreads.close();
      if (ownsVertx) {
        await(vertx.close(), "closing Vert.x", 30_000);
      }
    }
  }

  /** The partitions this loop owns now, as of its last rebalance. */
  Set<TopicPartition> assignment() {
    return assignment;
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The poll thread

  private void pollLoop(KafkaConsumer<byte[], byte[]> client) {
    long nextEndOffsets = System.nanoTime();
    try {
      while (running) {
        try {
          runClientActions(client);
          if (System.nanoTime() - nextEndOffsets >= 0) {
            refreshEndOffsets(client);
            nextEndOffsets = System.nanoTime() + config.laneRefresh().toNanos();
          }
          ConsumerRecords<byte[], byte[]> records = poll(client);
          if (!records.isEmpty()) {
            dispatch(client, records);
          }
        } catch (WakeupException woken) {
          // Work was queued for the client while it waited in a call: the loop takes it next.
        } catch (RuntimeException e) {
          if (running) {
            LOG.warn("consumer group {}: poll failed, polling again shortly: {}", config.group(), e.toString());
            waitForClientActions(config.errorBackoff());
          }
        }
      }
    } finally {
      shutDown(client);
    }
  }

  private ConsumerRecords<byte[], byte[]> poll(KafkaConsumer<byte[], byte[]> client) {
    polling.set(true);
    try {
      // Queued before the flag was up: the queuer did not wake the client, so take the work first.
      return clientActions.isEmpty() ? client.poll(POLL_TIMEOUT) : ConsumerRecords.empty();
    } finally {
      polling.set(false);
    }
  }

  /**
   * Pauses the partitions that delivered records, so that no more of them are fetched until their workers have worked
   * through these (each says so by going idle, which resumes its partition), and hands the records over.
   */
  private void dispatch(KafkaConsumer<byte[], byte[]> client, ConsumerRecords<byte[], byte[]> records) {
    client.pause(records.partitions());
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> batch = new HashMap<>();
    for (TopicPartition tp : records.partitions()) {
      batch.put(tp, records.records(tp));
    }
    // The context runs tasks in the order they were queued: the workers of a new assignment (queued by the listener
    // inside this poll) exist before these records reach them, and a revoked worker's records came before its stop.
    context.runOnContext(v -> {
      if (running) {
        batch.forEach((tp, recs) -> workers.workerFor(tp).enqueue(recs));
      }
    });
  }

  private void runClientActions(KafkaConsumer<byte[], byte[]> client) {
    Consumer<KafkaConsumer<byte[], byte[]>> action;
    while ((action = clientActions.poll()) != null) {
      action.accept(client);
    }
  }

  /** Waits out a failure without leaving the client's queued work (or a close) waiting. */
  private void waitForClientActions(Duration wait) {
    try {
      Consumer<KafkaConsumer<byte[], byte[]>> first = clientActions.pollFirst(wait.toMillis(), TimeUnit.MILLISECONDS);
      if (first != null) {
        clientActions.addFirst(first);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  /** The partitions' end offsets, for the lag gauges (between polls, one short request). */
  private void refreshEndOffsets(KafkaConsumer<byte[], byte[]> client) {
    Set<TopicPartition> assigned = client.assignment();
    if (assigned.isEmpty()) {
      return;
    }
    try {
      Map<TopicPartition, Long> ends = client.endOffsets(assigned, CLIENT_CALL_TIMEOUT);
      context.runOnContext(v -> workers.endOffsets(ends));
    } catch (WakeupException e) {
      throw e;
    } catch (KafkaException e) {
      LOG.debug("group {}: end offsets not known now: {}", config.group(), e.toString());
    }
  }

  /** Commits synchronously (on revocation and at the end); a failure only means the next owner replays more. */
  private void commitSync(KafkaConsumer<byte[], byte[]> client, Map<TopicPartition, Long> offsets) {
    if (offsets.isEmpty()) {
      return;
    }
    for (int tries = 1; ; tries++) {
      try {
        client.commitSync(kafkaOffsets(offsets), CLIENT_CALL_TIMEOUT);
        LOG.debug("group {}: committed {}", config.group(), offsets);
        return;
      } catch (WakeupException e) {
        if (tries == 2) {
          return;
        }
      } catch (KafkaException e) {
        LOG.warn("group {}: commit of {} failed (the next owner replays from the last commit): {}", config.group(),
            offsets, e.toString());
        return;
      }
    }
  }

  private void shutDown(KafkaConsumer<byte[], byte[]> client) {
    try {
      Map<TopicPartition, Long> finished = awaitOnContext(this::stopOnContext, stopBound().toMillis() + 5_000);
      commitSync(client, finished == null ? Map.of() : finished);
    } finally {
      clientActions.clear();
      try {
        client.close(CloseOptions.timeout(Duration.ofSeconds(10)));
      } catch (RuntimeException e) {
        LOG.warn("group {}: closing the Kafka client: {}", config.group(), e.toString());
      }
      assignment = Set.of();
      LOG.info("consumer group {} stopped (plain poll loop)", config.group());
    }
  }

  /** On the context: stops the timers, workers and drainers (bounded); then what every partition finished. */
  private Future<Map<TopicPartition, Long>> stopOnContext() {
    if (commitTimer >= 0) {
      vertx.cancelTimer(commitTimer);
    }
    long bound = stopBound().toMillis();
    return Future.join(
            Future.join(workers.stopAll()).timeout(bound, TimeUnit.MILLISECONDS),
            // A drainer may be in an SQS long poll or waiting out an outage: it is not followed up after the bound.
            redriveDrainer.stop().timeout(bound, TimeUnit.MILLISECONDS),
            retryDrainer.stop().timeout(bound, TimeUnit.MILLISECONDS))
        .transform(ar -> Future.succeededFuture(workers.toCommit()));
  }

  private Duration stopBound() {
    return Duration.ofMillis(Math.min(config.maxPollInterval().toMillis(), 30_000));
  }

  /** Runs inside {@code poll}, on the poll thread. */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final KafkaConsumer<byte[], byte[]> client;

    Rebalance(KafkaConsumer<byte[], byte[]> client) {
      this.client = client;
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      assignment = Set.copyOf(client.assignment());
      if (partitions.isEmpty()) {
        return;
      }
      List<TopicPartition> assigned = List.copyOf(partitions);
      // Queued ahead of this poll's records: each worker exists, and loads its open items, before they arrive.
      context.runOnContext(v -> {
        if (running) {
          assigned.forEach(workers::workerFor);
        }
      });
      LOG.info("group {}: assigned {}", config.group(), assigned);
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (partitions.isEmpty()) {
        return;
      }
      List<TopicPartition> revoked = List.copyOf(partitions);
      assignment = without(assignment, revoked);
      // The context only stops the workers and reads their progress: the wait is short and cannot deadlock (nothing
      // on the context ever waits for the poll thread).
      Map<TopicPartition, Long> finished = awaitOnContext(
          () -> Future.succeededFuture(PartitionWorkers.toCommit(workers.stop(revoked))), CONTEXT_WAIT_MS);
      if (finished != null) {
        commitSync(client, finished);
      }
      LOG.info("group {}: revoked {}", config.group(), revoked);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      // Someone else owns them already: nothing may be committed for them.
      List<TopicPartition> lost = List.copyOf(partitions);
      assignment = without(assignment, lost);
      context.runOnContext(v -> workers.stop(lost));
      LOG.warn("group {}: lost {}", config.group(), lost);
    }
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The context

  /** A worker ran out of records: commit its progress and let its partition be fetched again. */
  private void idle(PartitionWorker worker) {
    if (!running) {
      return;
    }
    commitProgress();
    TopicPartition tp = new TopicPartition(worker.topic(), worker.partition());
    toPollThread(client -> {
      if (client.assignment().contains(tp)) {
        client.resume(Set.of(tp));
      }
    });
  }

  /** Commits every partition whose committable offset moved; one commit in flight at a time. */
  private void commitProgress() {
    if (committing || !running) {
      return;
    }
    Map<TopicPartition, Long> offsets = workers.toCommit();
    if (offsets.isEmpty()) {
      return;
    }
    committing = true;
    toPollThread(client -> {
      try {
        client.commitAsync(kafkaOffsets(offsets), (done, err) -> context.runOnContext(v -> committed(offsets, err)));
      } catch (RuntimeException e) {
        context.runOnContext(v -> committed(offsets, e));
      }
    });
  }

  private void committed(Map<TopicPartition, Long> offsets, Exception failure) {
    committing = false;
    if (failure == null) {
      workers.committed(offsets);
    } else {
      LOG.warn("group {}: commit failed (will commit again): {}", config.group(), failure.toString());
    }
  }

  // ---------------------------------------------------------------------------------------------------------------

  /** Queues work for the Kafka client; wakes the poll thread if it is waiting in {@code poll}. */
  private void toPollThread(Consumer<KafkaConsumer<byte[], byte[]>> action) {
    clientActions.add(action);
    KafkaConsumer<byte[], byte[]> client = consumer;
    if (polling.get() && client != null) {
      client.wakeup();
    }
  }

  private <T> Future<T> onContext(Callable<T> task) {
    return Future.<T>future(p -> context.runOnContext(v -> {
      try {
        p.complete(task.call());
      } catch (Exception e) {
        p.fail(e);
      }
    }));
  }

  /** From the poll thread: the result of a task run on the context, or null if it failed or took too long. */
  private <T> T awaitOnContext(Callable<Future<T>> task, long timeoutMs) {
    try {
      return onContext(task).compose(f -> f).toCompletionStage().toCompletableFuture()
          .get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("group {}: the consumer's context did not answer: {}", config.group(), e.toString());
      return null;
    }
  }

  private static <T> T await(Future<T> future, String what, long timeoutMs) {
    try {
      return future.toCompletionStage().toCompletableFuture().get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while " + what, e);
    } catch (ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(what + " took over " + timeoutMs + " ms", e);
    }
  }

  private static Set<TopicPartition> without(Set<TopicPartition> from, Collection<TopicPartition> gone) {
    Set<TopicPartition> left = new java.util.HashSet<>(from);
    left.removeAll(gone);
    return Set.copyOf(left);
  }

  private static Map<TopicPartition, OffsetAndMetadata> kafkaOffsets(Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    offsets.forEach((tp, o) -> out.put(tp, new OffsetAndMetadata(o)));
    return out;
  }

  private static void refuseOnEventLoop(String what) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(what + " blocks: call it from a plain thread, not a Vert.x event loop "
          + "(a Vert.x service uses QuarantiningConsumer)");
    }
  }

  /**
   * What a {@link QuarantiningPollLoop} needs, without a Vert.x type: the Kafka client properties, the quarantine
   * store's DynamoDB table, the SQS queues' name prefix (the same ones the group's other consumers and the redrive
   * console use), the stream catalog's schemas, a meter registry, and the handler. The DynamoDB and SQS clients stay
   * the caller's: the loop does not close them.
   */
  public static final class Builder {
    private final WrapperConfig config;
    private Map<String, String> kafkaProps;
    private DynamoDbClient dynamo;
    private String table;
    private SqsClient sqs;
    private String queuePrefix;
    private Triage triage;
    private MeterRegistry meters = new SimpleMeterRegistry();
    private BlockingEventHandler handler;
    private int handlerThreadCount = 8;
    private SchemaRegistry schemas;
    private String groupsTable;
    private Duration heartbeatInterval = Heartbeater.DEFAULT_INTERVAL;
    /** Makes the dedup store, from the loop's Vert.x and the builder's clock. */
    private java.util.function.BiFunction<Vertx, Clock, ProcessedEvents> dedup;
    private Clock clock = Clock.systemUTC();
    private RandomGenerator random = new SplittableRandom();

    private Builder(WrapperConfig config) {
      this.config = Objects.requireNonNull(config, "config");
    }

    /**
     * Kafka client properties ({@code bootstrap.servers}, security, ...). The wrapper sets {@code group.id},
     * {@code enable.auto.commit=false}, {@code max.poll.records}, {@code max.poll.interval.ms} and byte-array
     * deserializers itself, and defaults {@code auto.offset.reset} to {@code earliest}.
     */
    public Builder kafka(Map<String, String> properties) {
      this.kafkaProps = Map.copyOf(properties);
      return this;
    }

    /** The quarantine store: its DynamoDB table (created beforehand, e.g. by {@code QuarantineTable.ensure}). */
    public Builder store(DynamoDbClient dynamo, String table) {
      this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
      this.table = Objects.requireNonNull(table, "table");
      return this;
    }

    /** The group's retry and redrive queues: {@code prefix} as for every other consumer and the console. */
    public Builder queues(SqsClient sqs, String prefix) {
      this.sqs = Objects.requireNonNull(sqs, "sqs");
      this.queuePrefix = Objects.requireNonNull(prefix, "prefix");
      return this;
    }

    /** The streams and schemas records are judged by. */
    public Builder schemas(SchemaRegistry registry) {
      this.schemas = Objects.requireNonNull(registry, "registry");
      return triage(new Triage(registry));
    }

    /** The triage records are judged by, e.g. one that reports the schema versions seen to a group heartbeat. */
    public Builder triage(Triage triage) {
      this.triage = Objects.requireNonNull(triage, "triage");
      return this;
    }

    /** Where the wrapper's meters go (default: a registry of its own, seen by nobody). */
    public Builder meters(MeterRegistry registry) {
      this.meters = Objects.requireNonNull(registry, "registry");
      return this;
    }

    /**
     * Registers each instance in the group registry (the DynamoDB table of {@link GroupRegistry}, through the store's
     * client) with a heartbeat every 10 s: the group, its streams and the schema versions it validated recently, as
     * the console shows them. Needs {@link #schemas(SchemaRegistry)}. Off unless called.
     */
    public Builder heartbeat(String groupsTable) {
      return heartbeat(groupsTable, Heartbeater.DEFAULT_INTERVAL);
    }

    public Builder heartbeat(String groupsTable, Duration interval) {
      this.groupsTable = Objects.requireNonNull(groupsTable, "groupsTable");
      this.heartbeatInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /**
     * Applies each event once per group within {@code window}, by CloudEvent id, for a handler that is not naturally
     * idempotent: in this process only, remembering at most {@code maxEntries} ids. At-least-once still holds at the
     * edges (a crash between the handler's success and the mark); see {@link IdempotentHandler}.
     */
    public Builder dedupInProcess(int maxEntries, Duration window) {
      this.dedup = (vertx, time) -> new InProcessProcessedEvents(maxEntries, window, time);
      return this;
    }

    /**
     * As {@link #dedupInProcess}, shared by every instance of the group: a conditional put per event into a DynamoDB
     * table (created beforehand with {@link DynamoProcessedEvents#ensureTable}) through the store's client, kept for
     * {@code window}.
     */
    public Builder dedupInDynamo(String table, Duration window) {
      Objects.requireNonNull(table, "table");
      Objects.requireNonNull(window, "window");
      this.dedup = (vertx, time) -> new DynamoProcessedEvents(vertx, dynamo, table, window, time);
      return this;
    }

    public Builder handler(BlockingEventHandler handler) {
      this.handler = Objects.requireNonNull(handler, "handler");
      return this;
    }

    /**
     * How many handler calls may run at once (default 8): one partition hands over one event at a time, so more
     * threads than assigned partitions plus concurrent retries, redrives and releases are never used.
     */
    public Builder handlerThreads(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("handler threads must be at least 1");
      }
      this.handlerThreadCount = count;
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** The randomness of the backoff jitter. */
    public Builder random(RandomGenerator random) {
      this.random = Objects.requireNonNull(random, "random");
      return this;
    }

    /** A loop not started yet; it owns a Vert.x instance of its own from here on, so close it even unstarted. */
    public QuarantiningPollLoop build() {
      require(kafkaProps, "kafka(properties)");
      require(dynamo, "store(dynamo, table)");
      require(sqs, "queues(sqs, prefix)");
      require(triage, "schemas(registry) or triage(triage)");
      require(handler, "handler(handler)");
      Function<Vertx, Heartbeater> heartbeats = null;
      if (groupsTable != null) {
        require(schemas, "schemas(registry) for its heartbeat");
        SchemaVersionsSeen versionsSeen = SchemaVersionsSeen.withDefaults(clock);
        triage = new Triage(schemas, versionsSeen::record);
        heartbeats = heartbeatsInto(groupsTable, versionsSeen);
      }
      Vertx vertx = Vertx.vertx();
      try {
        return new QuarantiningPollLoop(vertx, true, config, kafkaProps, triage,
            new QuarantineStore(vertx, dynamo, table, clock), new RedriveQueue(vertx, sqs, queuePrefix),
            new RetryQueue(vertx, sqs, queuePrefix, clock), new ConsumerMetrics(meters, config.group()), handler,
            handlerThreadCount, dedup == null ? null : vx -> dedup.apply(vx, clock), heartbeats, random, clock);
      } catch (RuntimeException e) {
        vertx.close();
        throw e;
      }
    }

    private Function<Vertx, Heartbeater> heartbeatsInto(String table, SchemaVersionsSeen versionsSeen) {
      DynamoDbClient client = dynamo;
      SchemaRegistry registry = schemas;
      Duration interval = heartbeatInterval;
      Clock time = clock;
      return vertx -> {
        String host = GroupHeartbeat.localHost();
        String instanceId = GroupHeartbeat.newInstanceId(host);
        // The streams are looked up at each heartbeat: the catalog may change while the loop runs.
        return new Heartbeater(vertx, new GroupRegistry(vertx, client, table, time),
            () -> GroupHeartbeat.of(config.group(), instanceId, host, config.topics().stream()
                .map(t -> registry.catalog().streamForTopic(t).map(StreamDefinition::name).orElse(t))
                .collect(java.util.stream.Collectors.toSet()), versionsSeen.snapshot()), interval);
      };
    }

    private static void require(Object value, String call) {
      if (value == null) {
        throw new IllegalStateException("a poll loop needs " + call);
      }
    }
  }
}
