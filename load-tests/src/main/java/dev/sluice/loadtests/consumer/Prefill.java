package dev.sluice.loadtests.consumer;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongFunction;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Fills a consumer benchmark's topics before anything is measured: a plain producer, batching, acks=all. Not measured
 * itself, only checked: a record that was not acknowledged fails the benchmark rather than shrinking its topic.
 */
public final class Prefill {
  private final String bootstrap;

  public Prefill(String bootstrap) {
    this.bootstrap = bootstrap;
  }

  /** Creates {@code topics} with {@code partitions} each and the topic {@code config} given (e.g. retention). */
  public void createTopics(List<String> topics, int partitions, Map<String, String> config) throws Exception {
    try (Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", bootstrap))) {
      admin.createTopics(topics.stream().map(t -> new NewTopic(t, partitions, (short) 1).configs(config)).toList())
          .all().get(60, TimeUnit.SECONDS);
      awaitLeaders(admin, topics);
    }
  }

  /**
   * Waits until every partition of {@code topics} answers a read of its end offset, which only the partition's leader
   * replica does, once it holds the partition. The controller acknowledges a new topic before that; a producer writing
   * at once is told NOT_LEADER_OR_FOLLOWER for the first batch while later ones land, and its idempotent retry of that
   * batch then fails with OUT_OF_ORDER_SEQUENCE_NUMBER until the delivery timeout fails the fill. The broker's
   * metadata (describeTopics) can name the leader before the replica is ready, so it is not enough.
   */
  private static void awaitLeaders(Admin admin, List<String> topics) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
        admin.describeTopics(topics).allTopicNames().get(10, TimeUnit.SECONDS).values().forEach(d ->
            d.partitions().forEach(p -> ends.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
        admin.listOffsets(ends).all().get(10, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException e) {
        // Not led yet: asked again below.
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("topics " + topics + " are not writable after 60 s");
      }
      Thread.sleep(50);
    }
  }

  /** Writes records 0 to {@code count} - 1 as {@code record} makes them; returns how long it took. */
  public Duration write(long count, LongFunction<ProducerRecord<byte[], byte[]>> record) {
    return write(count, record, Map.of());
  }

  /** As {@link #write(long, LongFunction)}, with producer settings added or overridden, e.g. max.request.size. */
  public Duration write(long count, LongFunction<ProducerRecord<byte[], byte[]>> record, Map<String, Object> extra) {
    Map<String, Object> props = new HashMap<>();
    props.put("bootstrap.servers", bootstrap);
    props.put("acks", "all");
    props.put("linger.ms", 5);
    props.put("batch.size", 256 * 1024);
    props.putAll(extra);
    AtomicLong failed = new AtomicLong();
    AtomicReference<Exception> firstFailure = new AtomicReference<>();
    long t0 = System.nanoTime();
    try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
        new ByteArraySerializer())) {
      for (long i = 0; i < count; i++) {
        producer.send(record.apply(i), (meta, e) -> {
          if (e != null) {
            failed.incrementAndGet();
            firstFailure.compareAndSet(null, e);
          }
        });
      }
      producer.flush();
    }
    if (failed.get() > 0) {
      throw new IllegalStateException(failed.get() + " of " + count + " records not written", firstFailure.get());
    }
    return Duration.ofNanos(System.nanoTime() - t0);
  }
}
