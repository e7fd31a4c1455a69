package dev.sluice.console.catalog;

import dev.sluice.schemas.event.KafkaHeader;
import dev.sluice.quarantine.kafka.LazyAdmin;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * What the stream catalog asks of Kafka about one topic: its newest records ({@link #tail}), and the consumer groups
 * with committed offsets on it, with their lag ({@link #readers}).
 *
 * <p>Kafka's clients block, so each call runs on a worker and completes on the caller's context; each Kafka call is
 * bounded by {@link #CALL_TIMEOUT}, and the whole of one answer by {@link #DEADLINE} on the Vert.x side too (a worker
 * stuck in a client still frees the request). A page must come back fast even when Kafka is away: the catalog shows
 * what it has and says what it could not get. The Admin client is made on first use and kept; the tail's consumer is
 * made per call, in no group, so reading the tail moves no group's position and commits nothing.
 */
public final class CatalogKafka {
  /** One Kafka call: a catalog page waits for it. */
  public static final Duration CALL_TIMEOUT = Duration.ofSeconds(3);
  /** One whole answer (a tail, or the readers' offsets): past it, the page goes without. */
  public static final Duration DEADLINE = Duration.ofSeconds(8);
  /** At most this many consumer groups' offsets are read for one topic's readers. */
  public static final int MAX_GROUPS = 500;

  /** A record read from the end of a topic, as Kafka gave it. */
  public record TailRecord(int partition, long offset, long timestamp, List<KafkaHeader> headers, byte[] value) {
    public TailRecord {
      headers = List.copyOf(headers);
    }
  }

  /**
   * A consumer group with committed offsets on the topic.
   *
   * @param committed per partition, the group's committed offset
   * @param lag per partition, the end offset minus the committed one (never negative)
   */
  public record TopicReader(String group, Map<Integer, Long> committed, Map<Integer, Long> lag) {
    public TopicReader {
      committed = Map.copyOf(committed);
      lag = Map.copyOf(lag);
    }

    /** The lag over every partition the group committed on. */
    public long totalLag() {
      return lag.values().stream().mapToLong(Long::longValue).sum();
    }
  }

  private final Vertx vertx;
  private final Map<String, Object> clientConfig;
  private final LazyAdmin admin;

  /** @param clientConfig Kafka client properties ({@code bootstrap.servers}, security), as every other client gets */
  public CatalogKafka(Vertx vertx, Map<String, String> clientConfig) {
    this.vertx = vertx;
    this.clientConfig = new HashMap<>(clientConfig);
    // The clients' own retries stay within one call's bound.
    this.clientConfig.put(CommonClientConfigs.REQUEST_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    this.clientConfig.put(CommonClientConfigs.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) CALL_TIMEOUT.toMillis());
    Map<String, Object> adminConfig = new HashMap<>(this.clientConfig);
    adminConfig.put(AdminClientConfig.CLIENT_ID_CONFIG, "sluice-console-catalog");
    this.admin = new LazyAdmin(vertx, adminConfig);
  }

  /**
   * Up to {@code n} of the newest records of {@code topic}, newest first (by record time, then offset): at most
   * {@code n} from the end of each partition are read, and the newest {@code n} of those kept.
   */
  public Future<List<TailRecord>> tail(String topic, int n) {
    return vertx.executeBlocking(() -> tailNow(topic, n), false)
        .timeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The consumer groups with committed offsets on {@code topic}, sorted by group, with their lag. */
  public Future<List<TopicReader>> readers(String topic) {
    return vertx.executeBlocking(() -> readersNow(topic), false)
        .timeout(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Closes the Admin client, if one was made. */
  public Future<Void> close() {
    return admin.close();
  }

  private List<TailRecord> tailNow(String topic, int n) {
    Map<String, Object> props = new HashMap<>(clientConfig);
    // In no group, committing nothing: a look at the newest records, which no group's position may notice.
    props.remove(ConsumerConfig.GROUP_ID_CONFIG);
    props.remove(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG);
    props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
    props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, String.valueOf(Math.max(1, n) * 4));
    props.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-console-catalog");
    long deadline = System.nanoTime() + (DEADLINE.toNanos() - CALL_TIMEOUT.toNanos());
    try (KafkaConsumer<byte[], byte[]> consumer =
        new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<PartitionInfo> infos = consumer.partitionsFor(topic, CALL_TIMEOUT);
      if (infos == null || infos.isEmpty()) {
        return List.of();
      }
      List<TopicPartition> partitions = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
      Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, CALL_TIMEOUT);
      Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, CALL_TIMEOUT);
      Map<TopicPartition, Long> remaining = new HashMap<>();
      List<TopicPartition> toRead = new ArrayList<>();
      for (TopicPartition tp : partitions) {
        long from = Math.max(begins.getOrDefault(tp, 0L), ends.getOrDefault(tp, 0L) - n);
        if (from < ends.getOrDefault(tp, 0L)) {
          toRead.add(tp);
          remaining.put(tp, ends.get(tp));
        }
      }
      List<TailRecord> out = new ArrayList<>();
      if (toRead.isEmpty()) {
        return out;
      }
      consumer.assign(toRead);
      for (TopicPartition tp : toRead) {
        consumer.seek(tp, Math.max(begins.getOrDefault(tp, 0L), ends.get(tp) - n));
      }
      // Polls until every partition reached the end it had when asked (newer records are left for the next look),
      // or the deadline passes: what was read by then is shown.
      while (!remaining.isEmpty() && System.nanoTime() < deadline) {
        for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          TopicPartition tp = new TopicPartition(r.topic(), r.partition());
          Long end = remaining.get(tp);
          if (end == null || r.offset() >= end) {
            continue;
          }
          out.add(new TailRecord(r.partition(), r.offset(), r.timestamp(), headers(r), r.value()));
          if (r.offset() + 1 >= end) {
            remaining.remove(tp);
          }
        }
        // A transaction marker or a compacted gap can hold the last offset: the position says when it is passed.
        remaining.keySet().removeIf(tp -> consumer.position(tp, CALL_TIMEOUT) >= remaining.get(tp));
      }
      return out.stream()
          .sorted(Comparator.comparingLong(TailRecord::timestamp).thenComparingLong(TailRecord::offset).reversed())
          .limit(n)
          .toList();
    }
  }

  private List<TopicReader> readersNow(String topic) {
    Admin a = admin();
    Collection<GroupListing> groups = await(a.listGroups(ListGroupsOptions.forConsumerGroups()).all());
    Map<Integer, Long> ends = null;
    List<TopicReader> out = new ArrayList<>();
    for (GroupListing g : groups.stream().sorted(Comparator.comparing(GroupListing::groupId)).limit(MAX_GROUPS)
        .toList()) {
      Map<TopicPartition, OffsetAndMetadata> offsets;
      try {
        offsets = await(a.listConsumerGroupOffsets(g.groupId()).partitionsToOffsetAndMetadata());
      } catch (KafkaException goneMeanwhile) {
        // A group deleted between the listing and this call (or one this principal may not describe): not a reader.
        continue;
      }
      Map<Integer, Long> committed = new TreeMap<>();
      offsets.forEach((tp, o) -> {
        if (o != null && tp.topic().equals(topic)) {
          committed.put(tp.partition(), o.offset());
        }
      });
      if (committed.isEmpty()) {
        continue;
      }
      if (ends == null) {
        ends = endOffsets(a, topic);
      }
      out.add(reader(g.groupId(), committed, ends));
    }
    return out;
  }

  /** The reader with its lag per partition: the end offset minus the committed one, never below 0. */
  static TopicReader reader(String group, Map<Integer, Long> committed, Map<Integer, Long> ends) {
    Map<Integer, Long> lag = new TreeMap<>();
    committed.forEach((p, c) -> lag.put(p, Math.max(0, ends.getOrDefault(p, c) - c)));
    return new TopicReader(group, committed, lag);
  }

  private static Map<Integer, Long> endOffsets(Admin a, String topic) {
    List<TopicPartition> partitions = await(a.describeTopics(List.of(topic)).allTopicNames()).get(topic).partitions()
        .stream().map(p -> new TopicPartition(topic, p.partition())).toList();
    Map<TopicPartition, OffsetSpec> asked = new HashMap<>();
    partitions.forEach(tp -> asked.put(tp, OffsetSpec.latest()));
    Map<Integer, Long> out = new HashMap<>();
    await(a.listOffsets(asked).all()).forEach((tp, info) -> out.put(tp.partition(), info.offset()));
    return out;
  }

  private Admin admin() {
    return admin.get();
  }

  private static List<KafkaHeader> headers(ConsumerRecord<byte[], byte[]> r) {
    List<KafkaHeader> headers = new ArrayList<>();
    for (Header h : r.headers()) {
      headers.add(new KafkaHeader(h.key(), h.value()));
    }
    return headers;
  }

  /** The result, or Kafka's own exception for the failure (a timeout as Kafka's timeout). */
  private static <T> T await(KafkaFuture<T> future) {
    try {
      return future.get(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw new KafkaException(e.getCause());
    } catch (TimeoutException e) {
      throw new org.apache.kafka.common.errors.TimeoutException("Kafka did not answer within " + CALL_TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while waiting for Kafka", e);
    }
  }
}
