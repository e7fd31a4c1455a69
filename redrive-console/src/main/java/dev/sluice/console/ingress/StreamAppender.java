package dev.sluice.console.ingress;

import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends redriven ingress rejects to their stream's topic: one idempotent Kafka producer with {@code acks=all}.
 *
 * <p>What a success means. The Future of {@link #append} succeeds only from the producer's callback with the record's
 * position, i.e. after the broker acknowledged it with {@code acks=all}. Every failure is an {@link AppendFailed} and
 * arrives within the append timeout (plus {@link #GUARD_SLACK_MS}): never a hang. Durability is not configurable here:
 * whatever the shared {@code sluice.kafka.*} client properties say, this producer uses {@code acks=all} and
 * idempotence, and is never transactional.
 *
 * <p>Threading. {@code Producer.send} can block (for metadata or buffer space, up to {@code max.block.ms}), and so can
 * building and closing the producer, so all three run on Vert.x worker threads, never on an event loop. Kafka calls
 * back on its I/O thread; the outcome is handed to the caller's context, so the returned Future completes on the
 * caller's event loop.
 *
 * <p>Operators redrive one item at a time, so there is no in-flight bound beyond the producer's own
 * {@code buffer.memory}; the console's body limit bounds each record.
 */
public final class StreamAppender {
  private static final System.Logger LOG = System.getLogger(StreamAppender.class.getName());

  /** How long one append may take, acknowledged or failed. */
  public static final Duration DEFAULT_APPEND_TIMEOUT = Duration.ofSeconds(10);
  /** Slack for the Vert.x-side safety timer beyond the append budget (the producer's own bounds answer first). */
  static final long GUARD_SLACK_MS = 1_000;
  static final String CLIENT_ID = "sluice-console";
  /** Assumed when the client properties do not set {@code request.timeout.ms}: the Kafka default. */
  static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

  /** Where an appended record landed. */
  public record Appended(String topic, int partition, long offset) {
    /** {@code topic-partition@offset}, e.g. {@code retail-1@42}. */
    public String position() {
      return topic + "-" + partition + "@" + offset;
    }
  }

  /** Why an append failed, as a value a caller maps (never by message text). */
  public enum Failure {
    /** The record is larger than the broker or producer accepts: retrying cannot help. */
    RECORD_TOO_LARGE,
    /** No acknowledgement within the append timeout: the record may or may not have been written. */
    TIMED_OUT,
    /** The appender is shutting down: nothing was sent. */
    CLOSING,
    /** Kafka refused or failed the send; a retry may succeed. */
    UNAVAILABLE
  }

  /** An append that was not acknowledged. Stackless: the cause carries the Kafka side's trace. */
  public static final class AppendFailed extends RuntimeException {
    private final Failure failure;

    AppendFailed(Failure failure, String message, Throwable cause) {
      super(message, cause, false, false);
      this.failure = Objects.requireNonNull(failure, "failure");
    }

    public Failure failure() {
      return failure;
    }
  }

  private final Vertx vertx;
  private final Producer<String, byte[]> producer;
  private final Duration appendTimeout;
  private volatile boolean closing;
  private Future<Void> closed;

  private StreamAppender(Vertx vertx, Producer<String, byte[]> producer, Duration appendTimeout) {
    this.vertx = vertx;
    this.producer = producer;
    this.appendTimeout = appendTimeout;
  }

  /**
   * Builds the producer on a worker thread; the returned Future completes on the caller's context.
   *
   * @param clientConfig the shared Kafka client properties ({@code sluice.kafka.*}: bootstrap servers, security...)
   */
  public static Future<StreamAppender> create(Vertx vertx, Map<String, String> clientConfig, Duration appendTimeout) {
    Objects.requireNonNull(vertx, "vertx");
    Map<String, Object> config;
    try {
      config = producerConfig(clientConfig, appendTimeout);
    } catch (IllegalArgumentException e) {
      return Future.failedFuture(e);
    }
    return vertx
        .executeBlocking(() -> new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer()), false)
        .map(p -> new StreamAppender(vertx, p, appendTimeout));
  }

  /**
   * The producer settings: the client properties, with durability forced ({@code acks=all}, idempotence, at most 5
   * requests in flight, no transactions) and every wait bounded by {@code appendTimeout}, split between waiting inside
   * {@code send} ({@code max.block.ms}) and waiting for the acknowledgement ({@code delivery.timeout.ms}, which covers
   * retries). No lingering: an operator's redrive is a single record and should not wait for company.
   */
  static Map<String, Object> producerConfig(Map<String, String> clientConfig, Duration appendTimeout) {
    Objects.requireNonNull(clientConfig, "clientConfig");
    Objects.requireNonNull(appendTimeout, "appendTimeout");
    long budget = appendTimeout.toMillis();
    if (budget < 2) {
      throw new IllegalArgumentException("the append timeout must be at least 2 ms, was " + appendTimeout);
    }
    long maxBlock = budget / 2;
    long delivery = budget - maxBlock;
    long requestTimeout = Math.min(requestTimeout(clientConfig), delivery);
    Map<String, Object> config = new HashMap<>(clientConfig);
    config.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    // Idempotence keeps order and deduplicates retries only with at most 5 requests in flight.
    config.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
    config.put(ProducerConfig.LINGER_MS_CONFIG, "0");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock));
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeout));
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, CLIENT_ID);
    return config;
  }

  private static long requestTimeout(Map<String, String> props) {
    String v = props.get(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG);
    if (v == null || v.isBlank()) {
      return DEFAULT_REQUEST_TIMEOUT_MS;
    }
    try {
      return Long.parseLong(v.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "Kafka client property " + ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG + " must be a number, was " + v, e);
    }
  }

  public Duration appendTimeout() {
    return appendTimeout;
  }

  /**
   * Appends one record. Succeeds only once the broker acknowledged it ({@code acks=all}); fails with an
   * {@link AppendFailed} within the append timeout otherwise.
   */
  public Future<Appended> append(String topic, String key, byte[] value, List<KafkaHeader> headers) {
    Objects.requireNonNull(topic, "topic");
    if (closing) {
      return Future.failedFuture(new AppendFailed(Failure.CLOSING, "the console is shutting down", null));
    }
    List<Header> kafkaHeaders = new ArrayList<>(headers.size());
    headers.forEach(h -> kafkaHeaders.add(new RecordHeader(h.key(), h.value())));
    ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, null, key, value, kafkaHeaders);

    Context context = vertx.getOrCreateContext();
    Promise<Appended> promise = Promise.promise();
    // Every outcome settles the promise on the caller's context, so whatever the caller composes runs there.
    long timer = vertx.setTimer(appendTimeout.toMillis() + GUARD_SLACK_MS, id -> context.runOnContext(v ->
        promise.tryFail(new AppendFailed(Failure.TIMED_OUT, "no answer from Kafka within the append timeout of "
            + appendTimeout, null))));
    vertx.executeBlocking(() -> {
      // Blocks this worker for metadata or buffer space, up to max.block.ms; failures of the send itself are
      // reported to the callback, others are thrown.
      producer.send(record, (md, e) -> context.runOnContext(v -> {
        vertx.cancelTimer(timer);
        if (e == null) {
          promise.tryComplete(new Appended(md.topic(), md.partition(), md.offset()));
        } else {
          promise.tryFail(failed(e));
        }
      }));
      return null;
    }, false).onFailure(e -> context.runOnContext(v -> {
      vertx.cancelTimer(timer);
      promise.tryFail(failed(e));
    }));
    return promise.future();
  }

  /** Classifies by type only. */
  private AppendFailed failed(Throwable e) {
    Failure failure;
    if (e instanceof RecordTooLargeException || e instanceof RecordBatchTooLargeException) {
      failure = Failure.RECORD_TOO_LARGE;
    } else if (e instanceof org.apache.kafka.common.errors.TimeoutException) {
      failure = Failure.TIMED_OUT;
    } else if (closing) {
      failure = Failure.CLOSING;
    } else {
      failure = Failure.UNAVAILABLE;
    }
    return new AppendFailed(failure, "Kafka did not acknowledge the record: " + e.getClass().getSimpleName(), e);
  }

  /**
   * Stops taking appends (they fail at once with {@link Failure#CLOSING}), then closes the producer on a worker,
   * giving records already sent up to the append timeout to be acknowledged. Calling it again returns the same
   * Future.
   */
  public synchronized Future<Void> close() {
    // Idempotent: the owner and a failed start may both close it.
    if (closed == null) {
      closing = true;
      closed = vertx.executeBlocking(() -> {
            producer.close(appendTimeout);
            return null;
          }, false)
          .onFailure(e -> LOG.log(System.Logger.Level.WARNING, "the console's Kafka producer did not close", e))
          .mapEmpty();
    }
    return closed;
  }
}
