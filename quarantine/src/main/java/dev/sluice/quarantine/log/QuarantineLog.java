package dev.sluice.quarantine.log;

import dev.sluice.quarantine.store.DynamoQuarantineCodec;
import dev.sluice.quarantine.store.QuarantineItem;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

/**
 * The write side of the quarantine log: new QUARANTINED items are appended to a Kafka topic with {@code acks=all} and
 * an idempotent producer, at the broker's pace, and a partition's offset may be committed past their records as soon
 * as the broker holds them. The {@link QuarantineIndexer} writes them into the store behind (conditionally, by id, as
 * the worker would have), so an item is findable in the console once the indexer is through it.
 *
 * <p>All items of one source partition go to one log partition, in the order they were appended, so "has the indexer
 * passed everything appended for this partition" is one committed offset to compare with one end offset: the new
 * owner of a partition waits for that ({@link #awaitIndexed}) before it loads the partition's open items, so a key held
 * back by an item still in the log is still held back.
 *
 * <p>Every call that may block (making the clients, which may log in or resolve names; the producer's sends, which may
 * wait for metadata or buffer space; the admin calls) runs on a Vert.x worker thread; acknowledgements come back
 * through the producer's callbacks, waited for by no thread; the Futures complete on the caller's context. The
 * clients are made on first use, so a wrapper built on an event loop makes none there.
 */
public final class QuarantineLog implements AutoCloseable {
  /** How long one blocking call may take before it counts as failed (the caller tries again). */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  /** The log's producer and admin client, made together on first use. */
  private record Clients(KafkaProducer<byte[], byte[]> producer, Admin admin) {}

  private final Vertx vertx;
  private final LogSettings settings;
  private final Map<String, String> kafkaProps;
  private Clients clients;
  private boolean closed;

  private QuarantineLog(Vertx vertx, LogSettings settings, Map<String, String> kafkaProps) {
    this.vertx = vertx;
    this.settings = settings;
    this.kafkaProps = Map.copyOf(kafkaProps);
  }

  /** A log over {@code kafkaProps}' cluster (its producer and admin client are this log's, closed by {@link #close}). */
  public static QuarantineLog open(Vertx vertx, Map<String, String> kafkaProps, LogSettings settings) {
    return new QuarantineLog(vertx, settings, kafkaProps);
  }

  /** The clients, made on the first call (on a worker thread: making them may block). */
  private synchronized Clients clients() {
    if (closed) {
      throw new IllegalStateException("the quarantine log " + settings.topic() + " is closed");
    }
    if (clients == null) {
      Map<String, Object> producerProps = clientProps(kafkaProps);
      // Durable before anything is committed past it: every in-sync replica, idempotent, retried by the client.
      producerProps.put("acks", "all");
      producerProps.put("enable.idempotence", "true");
      producerProps.put("linger.ms", "5");
      producerProps.put("compression.type", "lz4");
      producerProps.put("max.request.size", Integer.toString(2 * 1024 * 1024));
      clients = new Clients(new KafkaProducer<>(producerProps, new ByteArraySerializer(), new ByteArraySerializer()),
          Admin.create(clientProps(kafkaProps)));
    }
    return clients;
  }

  /** The connection settings of the caller's properties, without the consumer-only ones. */
  static Map<String, Object> clientProps(Map<String, String> kafkaProps) {
    Map<String, Object> props = new HashMap<>();
    kafkaProps.forEach((k, v) -> {
      if (k.equals("bootstrap.servers") || k.startsWith("security.") || k.startsWith("sasl.")
          || k.startsWith("ssl.") || k.equals("client.dns.lookup")) {
        props.put(k, v);
      }
    });
    return props;
  }

  public LogSettings settings() {
    return settings;
  }

  /**
   * Creates the log's topic unless it exists, then has the producer learn its partitions, so the first poison record
   * does not wait for that (blocking: call it at start-up, off any event loop).
   */
  public void ensureTopic() {
    try {
      try {
        clients().admin().createTopics(List.of(new NewTopic(settings.topic(), settings.partitions(), (short) -1)
                .configs(Map.of("max.message.bytes", Integer.toString(2 * 1024 * 1024)))))
            .all().get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw new IllegalStateException("creating the quarantine log " + settings.topic() + " failed",
              e.getCause());
        }
      }
      clients().producer().partitionsFor(settings.topic());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating the quarantine log", e);
    } catch (TimeoutException e) {
      throw new IllegalStateException("creating the quarantine log " + settings.topic() + " took too long", e);
    }
  }

  /** The log partition the items of a group's source partition go to. */
  public int partitionFor(String group, String topic, int partition) {
    byte[] source = QuarantineItem.laneOf(group, topic, partition).getBytes(StandardCharsets.UTF_8);
    return Utils.toPositive(Utils.murmur2(source)) % settings.partitions();
  }

  /**
   * Appends {@code items} to log partition {@code logPartition}, in order; completes with each one's log offset once
   * the broker acknowledged all of them (acks=all), or fails (nothing or some appended: appending the same items again
   * is harmless, the indexer writes each id once).
   *
   * <p>The items are encoded and handed to the producer on a worker thread ({@code send} may block: the topic's
   * metadata, a full buffer), in the order the caller's context asked (ordered: a partition's batches enter the log in
   * the order they were taken). The worker does not wait for the broker: each record's acknowledgement comes back
   * through its send callback, on the producer's I/O thread, and the last one completes the answer on the caller's
   * context. No {@code flush()}: that waits for every record the producer holds, other partitions' too, and sends
   * each batch at once instead of with the next ones ({@code linger.ms}). A callback without an exception means the
   * broker holds the record with acks=all, exactly what the record's own Future said.
   */
  public Future<List<Long>> append(int logPartition, List<QuarantineItem> items) {
    List<QuarantineItem> batch = List.copyOf(items);
    if (batch.isEmpty()) {
      // No send, so no callback would ever answer.
      return Future.succeededFuture(List.of());
    }
    Context caller = vertx.getOrCreateContext();
    Promise<List<Long>> acked = Promise.promise();
    long[] offsets = new long[batch.size()];
    AtomicInteger waiting = new AtomicInteger(batch.size());
    AtomicBoolean answered = new AtomicBoolean();
    long timer = vertx.setTimer(CALL_TIMEOUT.toMillis(), t -> {
      if (answered.compareAndSet(false, true)) {
        acked.fail(new TimeoutException("the quarantine log did not acknowledge " + batch.size() + " item(s) in "
            + CALL_TIMEOUT));
      }
    });
    Future<Void> handedOver = vertx.executeBlocking(() -> {
      KafkaProducer<byte[], byte[]> producer = clients().producer();
      for (int i = 0; i < batch.size(); i++) {
        QuarantineItem item = batch.get(i);
        int at = i;
        producer.send(new ProducerRecord<>(settings.topic(), logPartition, item.id().getBytes(StandardCharsets.UTF_8),
            DynamoQuarantineCodec.toJson(item)), (metadata, error) -> {
              if (error != null) {
                if (answered.compareAndSet(false, true)) {
                  caller.runOnContext(v -> {
                    vertx.cancelTimer(timer);
                    acked.fail(error);
                  });
                }
                return;
              }
              // Each slot written by one callback; the last decrement orders the writes before the read below.
              offsets[at] = metadata.offset();
              if (waiting.decrementAndGet() == 0 && answered.compareAndSet(false, true)) {
                caller.runOnContext(v -> {
                  vertx.cancelTimer(timer);
                  List<Long> answer = new ArrayList<>(offsets.length);
                  for (long o : offsets) {
                    answer.add(o);
                  }
                  acked.complete(answer);
                });
              }
            });
      }
      return null;
    }, true);
    return handedOver.compose(v -> acked.future(), failed -> {
      if (answered.compareAndSet(false, true)) {
        vertx.cancelTimer(timer);
      }
      return Future.failedFuture(failed);
    });
  }

  /** Where the indexers are in a log partition: every record below this offset is in the store (0 before any). */
  public Future<Long> indexedUpTo(int logPartition) {
    TopicPartition tp = new TopicPartition(settings.topic(), logPartition);
    return vertx.executeBlocking(() -> {
      OffsetAndMetadata o = clients().admin().listConsumerGroupOffsets(settings.indexerGroup()).partitionsToOffsetAndMetadata()
          .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(tp);
      return o == null ? 0L : o.offset();
    }, false);
  }

  /** The end of a log partition now: the offset its next record will get. */
  public Future<Long> endOf(int logPartition) {
    TopicPartition tp = new TopicPartition(settings.topic(), logPartition);
    return vertx.executeBlocking(() -> clients().admin().listOffsets(Map.of(tp, OffsetSpec.latest())).all()
        .get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).get(tp).offset(), false);
  }

  /**
   * Completes once the indexers have written to the store everything appended to {@code logPartition} before this
   * call: its end now, then the indexers' committed offset every {@code every} until it gets there. Fails if Kafka
   * does not answer (the caller tries again).
   */
  public Future<Void> awaitIndexed(int logPartition, Duration every) {
    return endOf(logPartition).compose(end -> until(logPartition, end, every));
  }

  private Future<Void> until(int logPartition, long end, Duration every) {
    return indexedUpTo(logPartition).compose(at -> at >= end ? Future.succeededFuture()
        : vertx.timer(every.toMillis(), TimeUnit.MILLISECONDS).compose(t -> until(logPartition, end, every)));
  }

  @Override
  public void close() {
    Clients made;
    synchronized (this) {
      made = clients;
      clients = null;
      closed = true;
    }
    if (made != null) {
      made.producer().close(Duration.ofSeconds(5));
      made.admin().close(Duration.ofSeconds(5));
    }
  }
}
