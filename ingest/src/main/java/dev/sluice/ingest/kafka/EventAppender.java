package dev.sluice.ingest.kafka;

import dev.sluice.ingest.kafka.ProducerSafety;
import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends admitted events to Kafka with the CloudEvents Kafka binding in binary mode: {@code ce_*} headers, key = the
 * partition key, value = the data JSON as UTF-8.
 *
 * <p>What a success means. The Future of {@link #append} succeeds only from the producer's callback with metadata,
 * i.e. after the broker acknowledged with {@code acks=all} (start-up refuses settings that weaken this, see
 * {@link UnsafeProducerSetting}). Every failure is an {@link AppendFailedException} carrying an
 * {@link AppendFailure} cause, and arrives within the append timeout (plus {@link #GUARD_SLACK_MS}): never a hang.
 *
 * <p>Threading. {@code Producer.send} can block: for metadata, or for buffer space when {@code buffer.memory} is
 * full (both up to {@code max.block.ms}). So every send runs on a dedicated single-thread worker executor, never on
 * the event loop. One thread keeps the sends in the order {@link #append} was called (so events of one key keep
 * their order, e.g. within a batch); a send stuck on metadata therefore delays the ones behind it. To keep each
 * append within its own budget, a send whose deadline passed while it waited in that queue is not sent at all and
 * fails with {@link AppendFailure#TIMED_OUT} (never appended, so safe to retry). Kafka calls back on its I/O thread;
 * the outcome is handed to the caller's context, so the returned Future completes on the caller's event loop.
 *
 * <p>Memory. At most {@link ProducerSafety#maxInFlightAppends()} appends (and {@link ProducerSafety#maxInFlightBytes()}
 * bytes) wait for Kafka at once; one more fails at once with {@link AppendFailure#BACKPRESSURE}. Behind that, the
 * producer's own {@code buffer.memory} bounds what it holds; a send that cannot get buffer space within
 * {@code max.block.ms} fails with {@link AppendFailure#BUFFER_FULL}.
 *
 * <p>Constructing the Kafka producer is itself blocking (it resolves the bootstrap addresses and loads classes), so
 * {@link #create} builds it on a worker too.
 */
public final class EventAppender {
  private static final java.util.concurrent.atomic.AtomicInteger PRODUCERS = new java.util.concurrent.atomic.AtomicInteger();
  private static final System.Logger LOG = System.getLogger(EventAppender.class.getName());

  /** Assumed when the client properties do not set {@code linger.ms}: the Kafka 4.x default. */
  static final long DEFAULT_LINGER_MS = 5;
  /** Assumed when the client properties do not set {@code request.timeout.ms}: the Kafka default. */
  static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
  /**
   * Slack for the Vert.x-side safety timer beyond the append budget. The producer's own bounds
   * ({@code max.block.ms + delivery.timeout.ms = appendTimeout}) normally answer first, with a typed cause; the timer
   * only covers a send that started late in its budget, or a producer that never called back.
   */
  static final long GUARD_SLACK_MS = 1_000;
  /** Per-record overhead counted against the byte bound beyond value, key and header bytes. */
  static final int RECORD_OVERHEAD_BYTES = 64;

  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final Vertx vertx;
  private final Producer<String, byte[]> producer;
  private final WorkerExecutor sender;
  private final Duration appendTimeout;
  private final InFlightLimit limit;
  private final AppendObserver observer;
  private final Clock clock;
  private volatile boolean closing;

  private EventAppender(Vertx vertx, Producer<String, byte[]> producer, WorkerExecutor sender, Duration appendTimeout,
      InFlightLimit limit, AppendObserver observer, Clock clock) {
    this.vertx = vertx;
    this.producer = producer;
    this.sender = sender;
    this.appendTimeout = appendTimeout;
    this.limit = limit;
    this.observer = observer;
    this.clock = clock;
  }

  /**
   * Checks the settings, then builds the producer on a worker thread; the returned Future completes on the caller's
   * context. It fails with {@link UnsafeProducerSettingsException} when the client properties are unsafe and
   * {@code safety.allowUnsafe()} is false.
   */
  public static Future<EventAppender> create(Vertx vertx, Map<String, String> clientProps, Duration appendTimeout,
      ProducerSafety safety, AppendObserver observer, Clock clock) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(safety, "safety");
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(clock, "clock");
    Map<String, Object> config;
    try {
      config = producerConfig(clientProps, appendTimeout, safety.allowUnsafe());
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return vertx
        .executeBlocking(() -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()), false)
        .map(p -> {
          // Warn about blocked sends only past their own bound: max.block.ms is half the budget.
          WorkerExecutor sender = vertx.createSharedWorkerExecutor(
              "sluice-kafka-send-" + INSTANCES.incrementAndGet(), 1, appendTimeout.toMillis() + GUARD_SLACK_MS,
              TimeUnit.MILLISECONDS);
          return new EventAppender(vertx, p, sender, appendTimeout,
              new InFlightLimit(safety.maxInFlightAppends(), safety.maxInFlightBytes()), observer, clock);
        });
  }

  /**
   * The producer settings: the client properties checked for safety, durability defaults (idempotent,
   * {@code acks=all}) where they are silent, and every wait bounded by {@code appendTimeout}.
   *
   * <p>Unsafe settings ({@link UnsafeProducerSetting#find}) are refused with {@link UnsafeProducerSettingsException}
   * unless {@code allowUnsafe}; then each is logged as a WARNING and honoured as given.
   *
   * <p>One append can wait twice: inside {@code send} for metadata or buffer space ({@code max.block.ms}), then for
   * the broker's acknowledgement ({@code delivery.timeout.ms}, which covers retries). The budget is split between the
   * two so that the whole append finishes, acknowledged or failed, within {@code appendTimeout}.
   * {@code delivery.timeout.ms} must be at least {@code linger.ms + request.timeout.ms}, so the request timeout is
   * lowered to fit if needed.
   */
  static Map<String, Object> producerConfig(Map<String, String> clientProps, Duration appendTimeout,
      boolean allowUnsafe) {
    Objects.requireNonNull(clientProps, "clientProps");
    List<UnsafeProducerSetting> unsafe = UnsafeProducerSetting.find(clientProps);
    if (!unsafe.isEmpty()) {
      if (!allowUnsafe) {
        throw new UnsafeProducerSettingsException(unsafe);
      }
      for (UnsafeProducerSetting s : unsafe) {
        LOG.log(System.Logger.Level.WARNING, "UNSAFE Kafka producer setting allowed explicitly: {0}", s.describe());
      }
    }
    long budget = appendTimeout.toMillis();
    long maxBlock = budget / 2;
    long delivery = budget - maxBlock;
    long linger = longProp(clientProps, ProducerConfig.LINGER_MS_CONFIG, DEFAULT_LINGER_MS);
    long requestTimeout =
        Math.min(longProp(clientProps, ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, DEFAULT_REQUEST_TIMEOUT_MS),
            delivery - linger);
    if (requestTimeout < 1) {
      throw new IllegalArgumentException("linger.ms=" + linger + " leaves no time for a request within the append "
          + "timeout of " + appendTimeout + "; lower linger.ms or raise the append timeout");
    }
    Map<String, Object> config = new HashMap<>(clientProps);
    config.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
    // Default idempotence on only where Kafka accepts it: an explicitly allowed acks=1 or a larger in-flight window
    // cannot be combined with it, and Kafka then leaves it off by itself.
    if (unsafe.isEmpty()) {
      config.putIfAbsent(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    }
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock));
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeout));
    // One producer per gateway instance: distinct ids keep their JMX metrics and thread names apart.
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sluice-gateway-" + PRODUCERS.incrementAndGet());
    return config;
  }

  private static long longProp(Map<String, String> props, String key, long dflt) {
    String v = props.get(key);
    if (v == null || v.isBlank()) {
      return dflt;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("Kafka client property " + key + " must be a number, was " + v, e);
    }
  }

  /**
   * Appends one event. The Future succeeds only once the broker acknowledged the record (acks=all), and fails with
   * an {@link AppendFailedException} within the append timeout otherwise.
   */
  public Future<Appended> append(String topic, String key, CloudEvent event) {
    return append(topic, key, event, List.of());
  }

  /**
   * Appends one event with extra Kafka headers after the CloudEvents ones (e.g. the schema version it was validated
   * against, or the W3C trace context).
   */
  public Future<Appended> append(String topic, String key, CloudEvent event, List<KafkaHeader> extraHeaders) {
    if (closing) {
      return failed(new AppendFailedException(AppendFailure.CLOSING, "the gateway is shutting down"));
    }
    byte[] value = event.data().getBytes(StandardCharsets.UTF_8);
    List<Header> headers = new ArrayList<>();
    long size = RECORD_OVERHEAD_BYTES + value.length + (key == null ? 0 : key.length());
    for (KafkaHeader h : CloudEventKafkaBinding.headers(event)) {
      headers.add(new RecordHeader(h.key(), h.value()));
      size += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    for (KafkaHeader h : extraHeaders) {
      headers.add(new RecordHeader(h.key(), h.value()));
      size += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    if (!limit.tryAcquire(size)) {
      return failed(new AppendFailedException(AppendFailure.BACKPRESSURE,
          "too many appends are waiting for Kafka (" + limit.appendsInFlight() + " appends, "
              + limit.bytesInFlight() + " bytes in flight)"));
    }
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, key, value, headers);
    Outcome outcome = new Outcome(vertx.getOrCreateContext(), size, clock.millis() + appendTimeout.toMillis());
    sender.executeBlocking(() -> {
      outcome.send(record);
      return null;
    }, true).onFailure(outcome::fail);
    return outcome.promise.future();
  }

  /** Counts a failure that a retry may overcome, and returns it as a failed Future. */
  private Future<Appended> failed(AppendFailedException e) {
    count(e);
    return Future.failedFuture(e);
  }

  private void count(Throwable e) {
    if (e instanceof AppendFailedException a && a.failure().retryable()) {
      observer.unavailable(a.failure());
    }
  }

  /**
   * The outcome of one send: settled exactly once, by Kafka's callback, a synchronous failure of {@code send}, the
   * deadline passing before the send started, or the safety timer. Whatever settles it first answers the client;
   * the in-flight slot is released only when Kafka is done with the record (or it was never sent), so the bound
   * counts what really waits in memory.
   */
  private final class Outcome implements Callback {
    final Promise<Appended> promise = Promise.promise();
    private final Context context;
    private final long size;
    private final long deadline;
    private final AtomicBoolean released = new AtomicBoolean();
    private final long timer;

    Outcome(Context context, long size, long deadline) {
      this.context = context;
      this.size = size;
      this.deadline = deadline;
      this.timer = vertx.setTimer(appendTimeout.toMillis() + GUARD_SLACK_MS, id -> settle(null,
          new AppendFailedException(AppendFailure.TIMED_OUT, "no answer from Kafka within the append timeout of "
              + appendTimeout + " (and " + GUARD_SLACK_MS + " ms slack)")));
      promise.future().onFailure(EventAppender.this::count);
    }

    /** On the sending worker. */
    void send(ProducerRecord<String, byte[]> record) {
      if (clock.millis() >= deadline) {
        release();
        settle(null, new AppendFailedException(AppendFailure.TIMED_OUT,
            "the append timeout of " + appendTimeout + " ran out while earlier sends waited for Kafka; not sent"));
        return;
      }
      try {
        // Blocks this worker for metadata or buffer space, up to max.block.ms; failures of the send itself (timeout,
        // buffer exhausted, record too large) are reported to the callback, others are thrown.
        producer.send(record, this);
      } catch (RuntimeException e) {
        fail(e);
      }
    }

    /** Kafka's callback, on its I/O thread (or on the sending worker for an immediate failure). */
    @Override
    public void onCompletion(RecordMetadata md, Exception e) {
      if (e == null) {
        release();
        settle(new Appended(md.topic(), md.partition(), md.offset()), null);
      } else {
        fail(e);
      }
    }

    void fail(Throwable e) {
      release();
      AppendFailure cause = AppendFailure.classify(e, closing);
      settle(null, e instanceof AppendFailedException a ? a
          : new AppendFailedException(cause, "Kafka did not acknowledge: " + e, e));
    }

    private void release() {
      if (released.compareAndSet(false, true)) {
        limit.release(size);
      }
    }

    private void settle(Appended ok, AppendFailedException error) {
      context.runOnContext(v -> {
        vertx.cancelTimer(timer);
        if (ok != null) {
          promise.tryComplete(ok);
        } else {
          promise.tryFail(error);
        }
      });
    }
  }

  /**
   * Stops taking appends (they fail at once with {@link AppendFailure#CLOSING}), then closes the producer on the
   * sending worker, after the sends already queued there, giving in-flight sends up to the append timeout.
   */
  public Future<Void> close() {
    closing = true;
    return sender.executeBlocking(() -> {
          producer.close(appendTimeout);
          return null;
        }, true)
        .transform(ar -> sender.close().transform(ignored -> ar.succeeded()
            ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ar.cause())));
  }

  /** Appends now waiting for Kafka (for tests and diagnostics). */
  public long appendsInFlight() {
    return limit.appendsInFlight();
  }
}
