package dev.sluice.quarantine.kafka;

import dev.sluice.quarantine.store.PayloadInKafka;
import dev.sluice.quarantine.store.QuarantineItem;
import dev.sluice.schemas.event.KafkaHeader;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads back the payload of an item too big for the store from its Kafka record ({@link PayloadInKafka}): a
 * short-lived consumer, in no group, assigned the item's partition, seeked to its offset and polled until the
 * record comes or {@link #TIMEOUT} passes. The record read is checked against the size and SHA-256 kept on the item.
 * Blocking, so each read runs on a Vert.x worker thread and completes on the caller's context.
 */
public final class RecordPayloads {
  /** How long one read may take in all: a redrive waits for it. */
  public static final Duration TIMEOUT = Duration.ofSeconds(15);

  /** What a read found at the item's position. */
  public sealed interface Read {}

  /** The record is there and is the one the item was made of: its value and its headers as read. */
  public record Found(byte[] payload, List<KafkaHeader> headers) implements Read {
    public Found {
      headers = List.copyOf(headers);
    }
  }

  /** The record is no longer in the log (its retention deleted it): {@code earliest} is the first offset left. */
  public record Gone(long earliest) implements Read {}

  /** A record is at the position, but not the one the item was made of (its size or SHA-256 differ). */
  public record Mismatch(long size, String sha256) implements Read {}

  private final Vertx vertx;
  private final Map<String, Object> clientConfig;

  /** @param clientConfig Kafka client properties ({@code bootstrap.servers}, security), as every other client gets */
  public RecordPayloads(Vertx vertx, Map<String, String> clientConfig) {
    this.vertx = vertx;
    this.clientConfig = new HashMap<>(clientConfig);
  }

  /**
   * The payload of {@code item}, read from its record. Fails with a Kafka {@link TimeoutException} when the record
   * could not be read within {@link #TIMEOUT} (Kafka unreachable), and for an item whose payload is stored.
   */
  public Future<Read> read(QuarantineItem item) {
    if (item.payloadInKafka().isEmpty()) {
      return Future.failedFuture(new IllegalArgumentException("item " + item.id() + " has its payload in the store"));
    }
    PayloadInKafka ref = item.payloadInKafka().get();
    TopicPartition tp = new TopicPartition(item.topic(), item.partition());
    return vertx.executeBlocking(() -> readNow(tp, item.offset(), ref), false);
  }

  private Read readNow(TopicPartition tp, long offset, PayloadInKafka ref) {
    Map<String, Object> props = new HashMap<>(clientConfig);
    // In no group, committing nothing: a look at one record, which no group's position may notice.
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      consumer.assign(List.of(tp));
      long earliest = consumer.beginningOffsets(List.of(tp), TIMEOUT).get(tp);
      if (earliest > offset) {
        return new Gone(earliest);
      }
      consumer.seek(tp, offset);
      while (System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)).records(tp)) {
          if (r.offset() != offset) {
            // The record is gone from a compacted or truncated log: the first one after it came instead.
            return new Gone(r.offset());
          }
          byte[] payload = r.value() == null ? new byte[0] : r.value();
          PayloadInKafka read = PayloadInKafka.of(payload);
          return ref.samePayload(read) ? new Found(payload, headers(r)) : new Mismatch(read.size(), read.sha256());
        }
      }
      throw new TimeoutException("no record of " + tp + " at offset " + offset + " within " + TIMEOUT);
    }
  }

  private static List<KafkaHeader> headers(ConsumerRecord<byte[], byte[]> r) {
    List<KafkaHeader> headers = new ArrayList<>();
    for (Header h : r.headers()) {
      headers.add(new KafkaHeader(h.key(), h.value()));
    }
    return headers;
  }
}
