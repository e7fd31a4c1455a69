package dev.sluice.ingest.kafka;

import dev.sluice.ingest.admit.EventAdmission.AdmittedEvent;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends admitted events to Kafka with the CloudEvents Kafka binding in binary mode: {@code ce_*} headers, key = the
 * partition key, value = the data JSON as UTF-8. Used by the gateway for ingest, and by the console to append a
 * redriven ingress reject (or an event again, behind others).
 *
 * <p>What a success means. The Future of {@link #append} succeeds only from the producer's callback with metadata,
 * i.e. after the broker acknowledged with {@code acks=all} (the settings either refuse what weakens this, or force
 * it: see {@link AppenderSettings.Policy}). Every failure is an {@link AppendFailedException} carrying an
 * {@link AppendFailure} cause, and arrives within the append timeout (plus {@link #GUARD_SLACK_MS}): never a hang.
 * The one exception is a wiring bug, not an outcome of Kafka: an admitted event whose marked values were not sealed is
 * refused at once with an {@link IllegalStateException}, and never sent.
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
  private Future<Void> closed;

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
   * context. It fails with {@link UnsafeProducerSettingsException} when checked client properties are unsafe and
   * not allowed, or with an {@link IllegalArgumentException} when they leave no room within the append timeout.
   *
   * @param observer hears of every append that failed for a reason a retry may overcome
   */
  public static Future<EventAppender> create(Vertx vertx, AppenderSettings settings, AppendObserver observer) {
    Objects.requireNonNull(vertx, "vertx");
    Objects.requireNonNull(settings, "settings");
    Objects.requireNonNull(observer, "observer");
    Map<String, Object> config;
    try {
      config = settings.producerConfig();
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    Duration appendTimeout = settings.appendTimeout();
    ProducerSafety safety = settings.safety();
    return vertx
        .executeBlocking(() -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()), false)
        .map(p -> {
          // Warn about blocked sends only past their own bound: max.block.ms is half the budget.
          WorkerExecutor sender = vertx.createSharedWorkerExecutor(
              "sluice-kafka-send-" + INSTANCES.incrementAndGet(), 1, appendTimeout.toMillis() + GUARD_SLACK_MS,
              TimeUnit.MILLISECONDS);
          return new EventAppender(vertx, p, sender, appendTimeout,
              new InFlightLimit(safety.maxInFlightAppends(), safety.maxInFlightBytes()), observer, Clock.systemUTC());
        });
  }

  /** How long one append may take, acknowledged or failed, before {@link #GUARD_SLACK_MS}. */
  public Duration appendTimeout() {
    return appendTimeout;
  }

  /**
   * Appends an admitted event with the CloudEvents Kafka binding in binary mode ({@link AdmittedEvent#recordHeaders()},
   * key = its partition key, value = its data). The Future succeeds only once the broker acknowledged the record
   * (acks=all), and fails with an {@link AppendFailedException} within the append timeout otherwise. An event whose
   * marked values are still in the clear ({@link AdmittedEvent#needsSealing()}) is never appended.
   */
  public Future<Appended> append(AdmittedEvent event) {
    if (event.needsSealing()) {
      // A wiring bug, not bad input: every path seals before it appends (EventSealing). Refusing here keeps a marked
      // value from ever reaching Kafka in the clear, whatever path a future change adds.
      return Future.failedFuture(new IllegalStateException("an event with marked values in the clear was not sealed "
          + "before its append; it was not appended"));
    }
    return append(event.stream().topic(), event.partitionKey(), event.recordValue(), event.recordHeaders());
  }

  /** Appends one record as given (e.g. a record read back from the topic, to append it again). As above otherwise. */
  public Future<Appended> append(String topic, String key, byte[] value, List<KafkaHeader> headers) {
    Objects.requireNonNull(topic, "topic");
    if (closing) {
      return failed(new AppendFailedException(AppendFailure.CLOSING, "the appender is shutting down"));
    }
    List<Header> recordHeaders = new ArrayList<>(headers.size());
    long size = RECORD_OVERHEAD_BYTES + value.length + (key == null ? 0 : key.length());
    for (KafkaHeader h : headers) {
      recordHeaders.add(new RecordHeader(h.key(), h.value()));
      size += h.key().length() + (h.value() == null ? 0 : h.value().length);
    }
    if (!limit.tryAcquire(size)) {
      return failed(new AppendFailedException(AppendFailure.BACKPRESSURE,
          "too many appends are waiting for Kafka (" + limit.appendsInFlight() + " appends, "
              + limit.bytesInFlight() + " bytes in flight)"));
    }
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, key, value, recordHeaders);
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
   * sending worker, after the sends already queued there, giving in-flight sends up to the append timeout. Calling it
   * again returns the same Future: an owner and a failed start may both close it.
   */
  public synchronized Future<Void> close() {
    if (closed == null) {
      closing = true;
      closed = sender.executeBlocking(() -> {
            producer.close(appendTimeout);
            return null;
          }, true)
          .transform(ar -> sender.close().transform(ignored -> ar.succeeded()
              ? Future.<Void>succeededFuture() : Future.<Void>failedFuture(ar.cause())));
    }
    return closed;
  }

  /** Appends now waiting for Kafka (for tests and diagnostics). */
  public long appendsInFlight() {
    return limit.appendsInFlight();
  }
}
