package dev.sluice.deploy.it;

import dev.sluice.deploy.testing.Stack;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Looks at the {@code retail} topic with a plain Kafka consumer (no group, no Sluice code). */
final class RetailTopic {
  static final String TOPIC = "retail";

  private RetailTopic() {}

  private static KafkaConsumer<String, byte[]> consumer(Stack stack) {
    return new KafkaConsumer<>(new HashMap<>(stack.kafkaProps()), new StringDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer) {
    List<TopicPartition> out = new ArrayList<>();
    for (PartitionInfo p : consumer.partitionsFor(TOPIC, Duration.ofSeconds(15))) {
      out.add(new TopicPartition(TOPIC, p.partition()));
    }
    return out;
  }

  /** The next offset of every partition. */
  static Map<Integer, Long> endOffsets(Stack stack) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
      Map<Integer, Long> out = new HashMap<>();
      consumer.endOffsets(partitions(consumer), Duration.ofSeconds(15)).forEach((tp, o) -> out.put(tp.partition(), o));
      return out;
    }
  }

  /** Every record from the given offsets up to the partitions' current ends. */
  static List<ConsumerRecord<String, byte[]>> readFrom(Stack stack, Map<Integer, Long> from) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
      List<TopicPartition> tps = partitions(consumer);
      Map<TopicPartition, Long> ends = consumer.endOffsets(tps, Duration.ofSeconds(15));
      consumer.assign(tps);
      for (TopicPartition tp : tps) {
        consumer.seek(tp, from.getOrDefault(tp.partition(), 0L));
      }
      List<ConsumerRecord<String, byte[]>> out = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 15_000;
      while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp))) {
        if (System.currentTimeMillis() > deadline) {
          throw new AssertionError("could not read retail up to " + ends);
        }
        consumer.poll(Duration.ofMillis(200)).forEach(r -> {
          if (r.offset() < ends.get(new TopicPartition(TOPIC, r.partition()))) {
            out.add(r);
          }
        });
      }
      return out;
    }
  }

  /** The one record at a partition and offset. */
  static ConsumerRecord<String, byte[]> read(Stack stack, int partition, long offset) {
    try (KafkaConsumer<String, byte[]> consumer = consumer(stack)) {
      TopicPartition tp = new TopicPartition(TOPIC, partition);
      consumer.assign(List.of(tp));
      consumer.seek(tp, offset);
      long deadline = System.currentTimeMillis() + 15_000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
          if (r.offset() == offset) {
            return r;
          }
        }
      }
      throw new AssertionError("no record at " + TOPIC + "-" + partition + "@" + offset);
    }
  }

  /** A record's headers as text; the last value wins for a repeated key. */
  static Map<String, String> headers(ConsumerRecord<?, ?> r) {
    Map<String, String> out = new HashMap<>();
    for (Header h : r.headers()) {
      out.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
    }
    return out;
  }

  static String header(ConsumerRecord<?, ?> r, String key) {
    Header h = r.headers().lastHeader(key);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }
}
