package dev.sluice.gateway.kafka;

import dev.sluice.schemas.event.CloudEvent;
import dev.sluice.schemas.event.CloudEventKafkaBinding;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Appends admitted events to Kafka with the CloudEvents Kafka binding in binary mode: {@code ce_*} headers, key = the
 * partition key, value = the data JSON as UTF-8.
 *
 * <p>Threading. vertx-kafka-client 5.1.1's {@code KafkaWriteStreamImpl.send} does not call
 * {@code org.apache.kafka.clients.producer.Producer.send} on the caller's thread: it hands the call to the executor of
 * a worker context it created for this producer (checked with javap), and completes the returned Future on the
 * caller's context when Kafka's callback fires. So a send that waits for metadata (up to {@code max.block.ms}) blocks
 * a worker, never the event loop. Sends of one producer run one after another on that worker, which keeps them in
 * order; a send stuck on metadata therefore delays the ones behind it, by at most {@code max.block.ms}.
 *
 * <p>Constructing the Kafka producer is itself blocking (it resolves the bootstrap addresses and loads classes), so
 * {@link #create} builds it on a worker too, and only wraps it on the caller's context.
 */
public final class EventAppender {
  /** Assumed when the client properties do not set {@code linger.ms}: the Kafka 4.x default. */
  static final long DEFAULT_LINGER_MS = 5;
  /** Assumed when the client properties do not set {@code request.timeout.ms}: the Kafka default. */
  static final long DEFAULT_REQUEST_TIMEOUT_MS = 30_000;
  /** Slack for the Vert.x-side safety timeout beyond the producer's own bounds. */
  static final long GUARD_SLACK_MS = 5_000;

  private final KafkaProducer<String, byte[]> producer;
  private final Duration appendTimeout;

  private EventAppender(KafkaProducer<String, byte[]> producer, Duration appendTimeout) {
    this.producer = producer;
    this.appendTimeout = appendTimeout;
    // Without a handler, vertx-kafka-client also reports every failed send to the context as an "Unhandled
    // exception". Each failure already fails that send's Future, which the caller answers with 503 and counts.
    this.producer.exceptionHandler(err -> {});
  }

  /** Builds the producer on a worker thread; the returned Future completes on the caller's context. */
  public static Future<EventAppender> create(Vertx vertx, Map<String, String> clientProps, Duration appendTimeout) {
    Map<String, Object> config = producerConfig(clientProps, appendTimeout);
    return vertx
        .executeBlocking(
            () -> new org.apache.kafka.clients.producer.KafkaProducer<>(
                config, new StringSerializer(), new ByteArraySerializer()),
            false)
        .map(p -> new EventAppender(KafkaProducer.create(vertx, p), appendTimeout));
  }

  /**
   * The producer settings: the client properties as given, with durability forced (idempotent, {@code acks=all}) and
   * every wait bounded by {@code appendTimeout}.
   *
   * <p>One append can wait twice: inside {@code send} for metadata or buffer space ({@code max.block.ms}), then for
   * the broker's acknowledgement ({@code delivery.timeout.ms}, which covers retries). The budget is split between the
   * two so that the whole append finishes, acknowledged or failed, within {@code appendTimeout}.
   * {@code delivery.timeout.ms} must be at least {@code linger.ms + request.timeout.ms}, so the request timeout is
   * lowered to fit if needed.
   */
  static Map<String, Object> producerConfig(Map<String, String> clientProps, Duration appendTimeout) {
    Objects.requireNonNull(clientProps, "clientProps");
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
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
    config.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, Long.toString(maxBlock));
    config.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, Long.toString(delivery));
    config.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(requestTimeout));
    config.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "sluice-gateway");
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
   * Appends one event. The Future succeeds only once the broker acknowledged the record (acks=all), and fails within
   * the append timeout otherwise.
   */
  public Future<Appended> append(String topic, String key, CloudEvent event) {
    return append(topic, key, event, java.util.List.of());
  }

  /**
   * Appends one event with extra Kafka headers after the CloudEvents ones (e.g. the schema version it was validated
   * against, or the W3C trace context).
   */
  public Future<Appended> append(String topic, String key, CloudEvent event, java.util.List<KafkaHeader> extraHeaders) {
    KafkaProducerRecord<String, byte[]> record =
        KafkaProducerRecord.create(topic, key, event.data().getBytes(StandardCharsets.UTF_8));
    for (KafkaHeader h : CloudEventKafkaBinding.headers(event)) {
      record.addHeader(io.vertx.kafka.client.producer.KafkaHeader.header(h.key(), h.value()));
    }
    for (KafkaHeader h : extraHeaders) {
      record.addHeader(io.vertx.kafka.client.producer.KafkaHeader.header(h.key(), h.value()));
    }
    // Safety net only: max.block.ms + delivery.timeout.ms already bound the send. If the producer ever failed to call
    // back, the client still gets an answer (503: the event may or may not be appended, a retry is safe for a
    // consumer that deduplicates by CloudEvent id) instead of a hang.
    return producer.send(record)
        .timeout(appendTimeout.toMillis() + GUARD_SLACK_MS, TimeUnit.MILLISECONDS)
        .map(md -> new Appended(md.getTopic(), md.getPartition(), md.getOffset()));
  }

  /** Closes the producer on a worker, giving in-flight sends up to the append timeout to complete. */
  public Future<Void> close() {
    return producer.close(appendTimeout.toMillis());
  }
}
