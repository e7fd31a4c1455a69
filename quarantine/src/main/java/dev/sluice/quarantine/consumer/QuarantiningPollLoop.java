package dev.sluice.quarantine.consumer;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 * <p>Threads. The Kafka client is not thread-safe, so only the poll thread touches it ({@link PollThread}, which also
 * handles rebalances). The partition workers, the retry and redrive drainers and the store and queue calls are those
 * of {@link QuarantiningConsumer} ({@link ConsumerCore}, built by the same {@link WrapperBuilder}), on one Vert.x
 * context of a Vert.x instance the loop creates and owns; they never wait for the poll thread, and the poll thread
 * never waits for handling (a busy partition is simply paused), so in-place retries neither stall the other
 * partitions nor the polling that keeps this consumer in its group. This class is the loop's life (start, close) and
 * what its context does when a partition has worked through its records.
 */
public final class QuarantiningPollLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(QuarantiningPollLoop.class);
  /** How long start waits for the context (it never blocks: this only guards against a closed Vert.x). */
  private static final long CONTEXT_WAIT_MS = 10_000;

  private final Vertx vertx;
  private final Context context;
  private final WorkerExecutor handlerThreads;
  private final ConsumerCore core;
  private final Commits commits;
  /** Set by start, before the partitions' workers can exist; read by the context and by close. */
  private volatile PollThread poller;
  private boolean started;
  private boolean closed;

  private QuarantiningPollLoop(Vertx vertx, WorkerExecutor handlerThreads, WrapperParts wired) {
    this.vertx = vertx;
    this.handlerThreads = handlerThreads;
    this.context = vertx.getOrCreateContext();
    this.core = new ConsumerCore(wired,
        PartitionWorker.Owner.of(this::idle, (tp, start, resumeAt) -> poller.seekBack(tp, start, resumeAt)),
        this::recordsLag, partitions -> poller.committed(partitions));
    this.commits = new Commits(core, this::running, offsets -> poller.commit(offsets));
  }

  /** A loop for {@code config}'s group; see {@link Builder} for what it needs. */
  public static Builder builder(WrapperConfig config) {
    return new Builder(config);
  }

  /**
   * Checks what the group declares it reads against the schema registry, makes sure the group's redrive and retry
   * queues exist, subscribes, and starts the poll loop and the retry and redrive drainers. Blocks until then; throws
   * if the queues cannot be reached or the client cannot be created, and an {@link IllegalStateException} naming each
   * type and pointer at fault when the registry refutes the declaration ({@link WrapperBuilder#contract}), before
   * anything is consumed (a later start may succeed once the registry knows more).
   */
  public synchronized void start() {
    refuseOnEventLoop("start");
    if (started || closed) {
      throw new IllegalStateException("a poll loop starts once");
    }
    core.contractRefusal().ifPresent(why -> {
      throw new IllegalStateException(why);
    });
    started = true;
    WrapperConfig config = core.config();
    await(core.ensureQueues(), "creating the queues of group " + config.group(), 60_000);
    KafkaConsumer<byte[], byte[]> client = new KafkaConsumer<>(new HashMap<String, Object>(core.consumerProperties()),
        new ByteArrayDeserializer(), new ByteArrayDeserializer());
    PollThread thread = new PollThread(new PollThread.Parts(core, context, this::stopOnContext), client);
    try {
      thread.subscribe();
      poller = thread;
      await(PollThread.onContext(context, () -> {
        commits.startPeriodic();
        core.startBackground();
        return null;
      }), "starting the drainers of group " + config.group(), CONTEXT_WAIT_MS);
    } catch (RuntimeException e) {
      thread.abandon();
      throw e;
    }
    thread.start();
    await(core.presence().start(), "the first heartbeat", 30_000);
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
    // First, so the registry never lists an instance that no longer consumes.
    try {
      await(core.presence().stop(), "removing the heartbeat", 15_000);
    } catch (RuntimeException e) {
      LOG.warn("group {}: heartbeat not removed (it expires): {}", core.config().group(), e.toString());
    }
    try {
      PollThread thread = poller;
      if (thread != null) {
        thread.stopAndJoin(core.stopBoundMillis() + 45_000);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      handlerThreads.close();
      await(vertx.close(), "closing Vert.x", 30_000);
    }
  }

  /** The partitions this loop owns now, as of its last rebalance. */
  Set<TopicPartition> assignment() {
    PollThread thread = poller;
    return thread == null ? Set.of() : thread.assignment();
  }

  private boolean running() {
    PollThread thread = poller;
    return thread != null && thread.running();
  }

  private double recordsLag(TopicPartition tp) {
    PollThread thread = poller;
    return thread == null ? Double.NaN : thread.recordsLag(tp);
  }

  // ---------------------------------------------------------------------------------------------------------------
  // The context

  /** A worker ran out of records: commit its progress and let its partition be fetched again. */
  private void idle(PartitionWorker worker) {
    if (!running()) {
      return;
    }
    commits.progress();
    TopicPartition tp = new TopicPartition(worker.topic(), worker.partition());
    poller.toPollThread(client -> {
      if (client.assignment().contains(tp)) {
        client.resume(Set.of(tp));
      }
    });
  }

  /** On the context: stops the commits, workers and drainers (bounded); then what every partition finished. */
  private Future<Map<TopicPartition, Long>> stopOnContext() {
    commits.stopPeriodic();
    return core.stop(core.stopBoundMillis()).map(v -> core.workers().toCommit());
  }

  // ---------------------------------------------------------------------------------------------------------------

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

  private static void refuseOnEventLoop(String what) {
    if (Context.isOnEventLoopThread()) {
      throw new IllegalStateException(what + " blocks: call it from a plain thread, not a Vert.x event loop "
          + "(a Vert.x service uses QuarantiningConsumer)");
    }
  }

  /**
   * What a {@link QuarantiningPollLoop} needs (see {@link WrapperBuilder}), and its blocking handler, run on handler
   * threads of the loop.
   */
  public static final class Builder extends WrapperBuilder<Builder, BlockingEventHandler> {
    /** Handler threads when the records of a partition are handled one at a time. */
    private static final int ORDERED_THREADS = 8;
    /** At most this many by default with concurrency: a blocking handler holds a thread for each record in hand. */
    private static final int MAX_DEFAULT_THREADS = 256;

    private int handlerThreadCount;

    private Builder(WrapperConfig config) {
      super(config, "a poll loop");
      Concurrency limits = config.concurrency();
      this.handlerThreadCount = limits.concurrent()
          ? Math.max(ORDERED_THREADS, Math.min(limits.perConsumer(), MAX_DEFAULT_THREADS)) : ORDERED_THREADS;
    }

    /**
     * How many handler calls may run at once. By default 8 when each partition hands over one event at a time (more
     * threads than assigned partitions plus concurrent retries, redrives and releases are never used); with
     * concurrency ({@link WrapperConfig#concurrency}), the per-consumer limit, at least 8 and at most 256: a blocking
     * handler holds a thread for each record in hand, so fewer threads than records in hand only queue them.
     */
    public Builder handlerThreads(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("handler threads must be at least 1");
      }
      this.handlerThreadCount = count;
      return this;
    }

    /** A loop not started yet; it owns a Vert.x instance of its own from here on, so close it even unstarted. */
    public QuarantiningPollLoop build() {
      requireComplete();
      Vertx vertx = Vertx.vertx();
      try {
        // A pool of its own, so that slow handlers never take the threads the store and queue calls run on. Vert.x
        // warns of a blocked thread only well past the handler timeout (which already counts the call as failed).
        long warnAfterMs = Math.max(60_000, config.handlerTimeout().toMillis() * 2);
        WorkerExecutor handlerThreads = vertx.createSharedWorkerExecutor("sluice-handler-" + config.group(),
            handlerThreadCount, warnAfterMs, TimeUnit.MILLISECONDS);
        BlockingEventHandler blocking = handler;
        EventHandler onWorkerThreads = event -> handlerThreads.executeBlocking(() -> {
          blocking.handle(event);
          return null;
        }, false);
        return new QuarantiningPollLoop(vertx, handlerThreads, assemble(vertx, onWorkerThreads));
      } catch (RuntimeException e) {
        vertx.close();
        throw e;
      }
    }
  }
}
