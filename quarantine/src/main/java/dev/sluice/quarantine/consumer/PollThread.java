package dev.sluice.quarantine.consumer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread of a {@link QuarantiningPollLoop} that owns its {@link KafkaConsumer}. The Kafka client is not
 * thread-safe, so only this thread touches it: it polls, pauses each partition that delivered records, hands the
 * records to the partition's worker on the consumer's context, and carries out what the context asks for (resume a
 * partition that has worked through its records, commit) from a queue it drains between polls; whoever queues work
 * while it polls wakes it ({@link KafkaConsumer#wakeup()}, the client's one thread-safe call). Nothing on the context
 * ever waits for this thread, and this thread never waits for handling (a busy partition is simply paused).
 *
 * <p>Rebalances. The listener runs on this thread, inside {@code poll}: an assigned partition's worker is created (and
 * starts loading the partition's open items) before any record of the new assignment reaches it; a revoked
 * partition's worker is stopped and what it finished is committed synchronously before the partition goes, so the
 * next owner replays as little as possible (whatever was in hand is replayed; every write is idempotent by record).
 */
final class PollThread {
  private static final Logger LOG = LoggerFactory.getLogger(PollThread.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
  private static final Duration CLIENT_CALL_TIMEOUT = Duration.ofSeconds(5);
  /** How long the poll thread waits for the context (it never blocks: this only guards against a closed Vert.x). */
  private static final long CONTEXT_WAIT_MS = 10_000;

  /**
   * What the poll thread works with: the consumer's core and context, and how the context stops everything and tells
   * what every partition finished (for the last commit).
   */
  record Parts(ConsumerCore core, Context context, Supplier<Future<Map<TopicPartition, Long>>> finish) {}

  private final WrapperConfig config;
  private final Context context;
  private final PartitionWorkers workers;
  private final Supplier<Future<Map<TopicPartition, Long>>> finish;
  private final long stopBoundMs;
  private final KafkaConsumer<byte[], byte[]> client;
  private final Thread thread;

  // Between this thread and the rest.
  private final LinkedBlockingDeque<Consumer<KafkaConsumer<byte[], byte[]>>> clientActions =
      new LinkedBlockingDeque<>();
  private final AtomicBoolean polling = new AtomicBoolean();
  private volatile boolean running;
  private volatile Map<MetricName, ? extends Metric> clientMetrics = Map.of();
  private volatile Set<TopicPartition> assignment = Set.of();

  PollThread(Parts parts, KafkaConsumer<byte[], byte[]> client) {
    this.config = parts.core().config();
    this.context = parts.context();
    this.workers = parts.core().workers();
    this.finish = parts.finish();
    this.stopBoundMs = parts.core().stopBoundMillis();
    this.client = client;
    this.thread = new Thread(this::pollLoop, "sluice-poll-" + config.group());
  }

  /** Subscribes to the group's topics; from here on the thread counts as running, though it is not started yet. */
  void subscribe() {
    client.subscribe(config.topics(), new Rebalance());
    // A live view of the client's metric registry, readable from the gauges' threads.
    clientMetrics = client.metrics();
    running = true;
  }

  /** Starts polling. */
  void start() {
    thread.start();
  }

  /** After a failed start: the thread never ran, so the client is closed here. */
  void abandon() {
    running = false;
    client.close(CloseOptions.timeout(Duration.ZERO));
  }

  boolean running() {
    return running;
  }

  /** The partitions the client owns now, as of its last rebalance. */
  Set<TopicPartition> assignment() {
    return assignment;
  }

  /** The lag of a partition as the client last measured it ({@code records-lag}); read from any thread. */
  double recordsLag(TopicPartition tp) {
    return PartitionWorkers.recordsLag(clientMetrics, tp);
  }

  /**
   * Stops polling; the thread lets the context stop the workers and drainers (bounded), commits what was done, and
   * closes the client. Waits for that at most {@code waitMs}.
   */
  void stopAndJoin(long waitMs) throws InterruptedException {
    running = false;
    if (!thread.isAlive() && thread.getState() == Thread.State.NEW) {
      return;
    }
    toPollThread(c -> { }); // wakes it from its poll, or from a wait after a failure
    thread.join(waitMs);
    if (thread.isAlive()) {
      LOG.error("group {}: the poll thread did not end", config.group());
    }
  }

  /** Queues work for the Kafka client; wakes the poll thread if it is waiting in {@code poll}. */
  void toPollThread(Consumer<KafkaConsumer<byte[], byte[]>> action) {
    clientActions.add(action);
    if (polling.get()) {
      client.wakeup();
    }
  }

  /** Commits on the poll thread; the Future completes on the context when the broker answered. */
  Future<Void> commit(Map<TopicPartition, Long> offsets) {
    return Future.future(done -> toPollThread(c -> {
      try {
        c.commitAsync(kafkaOffsets(offsets), (committed, err) -> context.runOnContext(v -> {
          if (err == null) {
            done.complete();
          } else {
            done.fail(err);
          }
        }));
      } catch (RuntimeException e) {
        context.runOnContext(v -> done.fail(e));
      }
    }));
  }

  /** The group's committed offsets of {@code partitions}, read on the poll thread; completes on the context. */
  Future<Map<TopicPartition, Long>> committed(Set<TopicPartition> partitions) {
    return Future.future(done -> toPollThread(c -> {
      try {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        c.committed(partitions, CLIENT_CALL_TIMEOUT).forEach((tp, o) -> {
          if (o != null) {
            offsets.put(tp, o.offset());
          }
        });
        context.runOnContext(v -> done.complete(offsets));
      } catch (RuntimeException e) {
        // A wakeup or a broker that did not answer: the caller asks again later.
        context.runOnContext(v -> done.fail(e));
      }
    }));
  }

  /**
   * A rewind moves {@code tp} back, on the poll thread: pauses it, seeks it to {@code start} or, if earlier,
   * {@code resumeAt} (the group's committed offset when empty), and commits that offset synchronously; the Future
   * completes on the context with it. The context's task that completes it is queued after the records this thread
   * handed over before the seek, so the worker drops exactly those; the partition stays paused until the worker,
   * rewound, goes idle.
   */
  Future<PartitionWorker.SeekedBack> seekBack(TopicPartition tp, long start, OptionalLong resumeAt) {
    return Future.future(done -> toPollThread(c -> {
      try {
        if (!c.assignment().contains(tp)) {
          throw new IllegalStateException(tp + " is not assigned here any more");
        }
        c.pause(Set.of(tp));
        long resume = resumeAt.isPresent() ? resumeAt.getAsLong() : committedOr(c, tp, start);
        PartitionWorker.SeekedBack target = PartitionWorker.SeekedBack.of(start, resume);
        c.seek(tp, target.to());
        c.commitSync(Map.of(tp, new OffsetAndMetadata(target.to())), CLIENT_CALL_TIMEOUT);
        LOG.debug("group {}: {} seeked back to {} and committed", config.group(), tp, target.to());
        context.runOnContext(v -> done.complete(target));
      } catch (RuntimeException e) {
        // A wakeup, a broker that did not answer, a partition gone: the worker asks again while it owns it.
        context.runOnContext(v -> done.fail(e));
      }
    }));
  }

  private static long committedOr(KafkaConsumer<byte[], byte[]> c, TopicPartition tp, long otherwise) {
    OffsetAndMetadata o = c.committed(Set.of(tp), CLIENT_CALL_TIMEOUT).get(tp);
    return o == null ? otherwise : o.offset();
  }

  // ---------------------------------------------------------------------------------------------------------------

  private void pollLoop() {
    long nextEndOffsets = System.nanoTime();
    try {
      while (running) {
        try {
          runClientActions();
          if (System.nanoTime() - nextEndOffsets >= 0) {
            refreshEndOffsets();
            nextEndOffsets = System.nanoTime() + config.laneRefresh().toNanos();
          }
          ConsumerRecords<byte[], byte[]> records = poll();
          if (!records.isEmpty()) {
            dispatch(records);
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
      shutDown();
    }
  }

  private ConsumerRecords<byte[], byte[]> poll() {
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
  private void dispatch(ConsumerRecords<byte[], byte[]> records) {
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

  private void runClientActions() {
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
  private void refreshEndOffsets() {
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
  private void commitSync(Map<TopicPartition, Long> offsets) {
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

  private void shutDown() {
    try {
      Map<TopicPartition, Long> finished = awaitOnContext(finish::get, stopBoundMs + 5_000);
      commitSync(finished == null ? Map.of() : finished);
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

  /** A task run on the context; completes (on the context) with the task's result. */
  static <T> Future<T> onContext(Context context, Callable<T> task) {
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
      return onContext(context, task).compose(f -> f).toCompletionStage().toCompletableFuture()
          .get(timeoutMs, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException | TimeoutException e) {
      LOG.warn("group {}: the consumer's context did not answer: {}", config.group(), e.toString());
      return null;
    }
  }

  private static Set<TopicPartition> without(Set<TopicPartition> from, Collection<TopicPartition> gone) {
    Set<TopicPartition> left = new HashSet<>(from);
    left.removeAll(gone);
    return Set.copyOf(left);
  }

  private static Map<TopicPartition, OffsetAndMetadata> kafkaOffsets(Map<TopicPartition, Long> offsets) {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    offsets.forEach((tp, o) -> out.put(tp, new OffsetAndMetadata(o)));
    return out;
  }

  /** Runs inside {@code poll}, on the poll thread. */
  private final class Rebalance implements ConsumerRebalanceListener {
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
        commitSync(finished);
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
}
